// openapi-fetch names its methods after the HTTP verbs (GET, POST): not constructors.
/* eslint-disable new-cap */
import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  createKargoBackendClient,
  KargoBackendApiClient,
} from '@kargo-backstage/plugin-kargo-common';
import type {
  ApprovalPolicyView,
  ApprovalRequestView,
  FreightMetadataChange,
  FreightMetadataView,
  KargoEntityView,
  KargoProjectSettings,
  KargoRepoCredentialsView,
  LineStopView,
  Promotion,
  PromotionRequest,
  PromotionWindowView,
} from '@kargo-backstage/plugin-kargo-common';
import {
  KargoApi,
  KargoBackendHealth,
  KargoFreightRef,
  KargoGateOutcome,
  KargoMutationOptions,
  KargoProjectRef,
} from './KargoApi';

/** @public */
export interface KargoBackendClientOptions {
  discoveryApi: DiscoveryApi;
  fetchApi: FetchApi;
  /**
   * Only for Kargo instances configured with `forwardUserToken`: the user's own token that
   * Kargo accepts (e.g. an ID token from the identity provider Kargo trusts).
   */
  getKargoToken?(instance: string): Promise<string | undefined>;
}

/** The promote body's gate fields, only when set. */
const gatePass = (options: KargoMutationOptions) => ({
  ...(options.confirm?.length ? { confirm: options.confirm } : {}),
  ...(options.override?.length ? { override: options.override } : {}),
  ...(options.overrideFreeze ? { overrideFreeze: true } : {}),
});

/**
 * Talks to the Kargo backend plugin with the signed-in user's Backstage token, through the
 * client generated from the plugin's OpenAPI spec.
 * @public
 */
export class KargoBackendClient implements KargoApi {
  constructor(private readonly options: KargoBackendClientOptions) {}

  private async client(): Promise<KargoBackendApiClient> {
    return createKargoBackendClient({
      baseUrl: await this.options.discoveryApi.getBaseUrl('kargo'),
      // Backstage's fetch middleware rebuilds the request from what it is given, which a
      // Request whose body was read cannot be: it gets the URL and the parts instead.
      fetch: async request =>
        this.options.fetchApi.fetch(request.url, {
          method: request.method,
          headers: request.headers,
          body: ['GET', 'HEAD'].includes(request.method)
            ? undefined
            : (await request.text()) || undefined,
          signal: request.signal,
        }),
      onError: response => ResponseError.fromResponse(response),
    });
  }

  /** The path of a project, and the headers of a change in it. */
  private async project(ref: KargoProjectRef, idempotencyKey?: string) {
    const kargoToken = await this.options.getKargoToken?.(ref.instance);
    return {
      path: { instance: ref.instance, project: ref.project },
      header: {
        ...(kargoToken ? { 'x-kargo-token': kargoToken } : {}),
        ...(idempotencyKey ? { 'Idempotency-Key': idempotencyKey } : {}),
      },
    };
  }

  async getHealth(): Promise<KargoBackendHealth> {
    const { data } = await (await this.client()).GET('/health');
    return data!;
  }

  async getEntityView(
    entityRef: string,
    options: { freightLimit?: number } = {},
  ): Promise<KargoEntityView> {
    const { data } = await (
      await this.client()
    ).GET('/entity-view', {
      params: { query: { entityRef, freightLimit: options.freightLimit } },
    });
    return data as unknown as KargoEntityView;
  }

  async promote(
    ref: KargoProjectRef,
    stage: string,
    freight: KargoFreightRef,
    options: KargoMutationOptions = {},
  ): Promise<Promotion | PromotionRequest> {
    const { path, header } = await this.project(ref, options.idempotencyKey);
    const { data } = await (
      await this.client()
    ).POST(
      '/instances/{instance}/projects/{project}/stages/{stage}/promotions',
      {
        params: { path: { ...path, stage }, header },
        body: { ...freight, ...gatePass(options) },
      },
    );
    return data as Promotion | PromotionRequest;
  }

  async promoteDownstream(
    ref: KargoProjectRef,
    stage: string,
    freight: KargoFreightRef,
    options: KargoMutationOptions = {},
  ): Promise<{
    promotions?: Promotion[];
    promotionRequests?: PromotionRequest[];
  }> {
    const { path, header } = await this.project(ref, options.idempotencyKey);
    const { data } = await (
      await this.client()
    ).POST(
      '/instances/{instance}/projects/{project}/stages/{stage}/promotions/downstream',
      {
        params: { path: { ...path, stage }, header },
        body: { ...freight, ...gatePass(options) },
      },
    );
    return data as {
      promotions?: Promotion[];
      promotionRequests?: PromotionRequest[];
    };
  }

  async approveFreight(
    ref: KargoProjectRef,
    freight: string,
    stage: string,
  ): Promise<void> {
    const { path, header } = await this.project(ref);
    await (
      await this.client()
    ).POST(
      '/instances/{instance}/projects/{project}/freight/{freight}/approve',
      {
        params: { path: { ...path, freight }, header },
        body: { stage },
      },
    );
  }

  async abortPromotion(ref: KargoProjectRef, promotion: string): Promise<void> {
    const { path, header } = await this.project(ref);
    await (
      await this.client()
    ).POST(
      '/instances/{instance}/projects/{project}/promotions/{promotion}/abort',
      { params: { path: { ...path, promotion }, header } },
    );
  }

  async refreshStage(ref: KargoProjectRef, stage: string): Promise<void> {
    const { path, header } = await this.project(ref);
    await (
      await this.client()
    ).POST('/instances/{instance}/projects/{project}/stages/{stage}/refresh', {
      params: { path: { ...path, stage }, header },
    });
  }

  async refreshWarehouse(
    ref: KargoProjectRef,
    warehouse: string,
  ): Promise<void> {
    const { path, header } = await this.project(ref);
    await (
      await this.client()
    ).POST(
      '/instances/{instance}/projects/{project}/warehouses/{warehouse}/refresh',
      { params: { path: { ...path, warehouse }, header } },
    );
  }

  async reverify(ref: KargoProjectRef, stage: string): Promise<void> {
    const { path, header } = await this.project(ref);
    await (
      await this.client()
    ).POST(
      '/instances/{instance}/projects/{project}/stages/{stage}/verification',
      { params: { path: { ...path, stage }, header } },
    );
  }

  async abortVerification(ref: KargoProjectRef, stage: string): Promise<void> {
    const { path, header } = await this.project(ref);
    await (
      await this.client()
    ).POST(
      '/instances/{instance}/projects/{project}/stages/{stage}/verification/abort',
      { params: { path: { ...path, stage }, header } },
    );
  }

  async updateFreightAlias(
    ref: KargoProjectRef,
    freight: string,
    alias: string,
  ): Promise<void> {
    const { path, header } = await this.project(ref);
    await (
      await this.client()
    ).PATCH(
      '/instances/{instance}/projects/{project}/freight/{freight}/alias',
      {
        params: { path: { ...path, freight }, header },
        body: { alias },
      },
    );
  }

  async getPromotionGates(
    ref: KargoProjectRef,
    stage: string,
    freight: string,
  ): Promise<KargoGateOutcome[]> {
    const { data } = await (
      await this.client()
    ).GET('/instances/{instance}/projects/{project}/stages/{stage}/gates', {
      params: { path: { ...ref, stage }, query: { freight } },
    });
    return data!.items as KargoGateOutcome[];
  }

  async updateFreightMetadata(
    ref: KargoProjectRef,
    freight: string,
    input: Parameters<KargoApi['updateFreightMetadata']>[2],
  ): Promise<FreightMetadataView> {
    const { data } = await (
      await this.client()
    ).PUT(
      '/instances/{instance}/projects/{project}/freight/{freight}/metadata',
      {
        params: { path: { ...ref, freight } },
        body: input,
      },
    );
    return data as unknown as FreightMetadataView;
  }

  async getFreightMetadataHistory(
    ref: KargoProjectRef,
    freight: string,
  ): Promise<FreightMetadataChange[]> {
    const { data } = await (
      await this.client()
    ).GET(
      '/instances/{instance}/projects/{project}/freight/{freight}/metadata/history',
      { params: { path: { ...ref, freight } } },
    );
    return data!.items as unknown as FreightMetadataChange[];
  }

  async listPromotionWindows(
    ref: KargoProjectRef,
  ): ReturnType<KargoApi['listPromotionWindows']> {
    const { data } = await (
      await this.client()
    ).GET('/instances/{instance}/projects/{project}/promotion-windows', {
      params: { path: ref },
    });
    return data as unknown as Awaited<
      ReturnType<KargoApi['listPromotionWindows']>
    >;
  }

  async createPromotionWindow(
    ref: KargoProjectRef,
    window: Parameters<KargoApi['createPromotionWindow']>[1],
  ): Promise<PromotionWindowView> {
    const { data } = await (
      await this.client()
    ).POST('/instances/{instance}/projects/{project}/promotion-windows', {
      params: { path: ref },
      body: window,
    });
    return data as unknown as PromotionWindowView;
  }

  async deletePromotionWindow(
    ref: KargoProjectRef,
    name: string,
  ): Promise<void> {
    await (
      await this.client()
    ).DELETE(
      '/instances/{instance}/projects/{project}/promotion-windows/{name}',
      {
        params: { path: { ...ref, name } },
      },
    );
  }

  async getProjectSettings(
    ref: KargoProjectRef,
  ): Promise<KargoProjectSettings> {
    const { data } = await (
      await this.client()
    ).GET('/instances/{instance}/projects/{project}/settings', {
      params: { path: ref },
    });
    return data as unknown as KargoProjectSettings;
  }

  async changeRoleGrants(
    ref: KargoProjectRef,
    role: string,
    change: 'grants' | 'revocations',
    subjects: string[],
  ): Promise<void> {
    const { path, header } = await this.project(ref);
    const client = await this.client();
    const request = {
      params: { path: { ...path, role }, header },
      body: { subjects },
    };
    if (change === 'grants') {
      await client.POST(
        '/instances/{instance}/projects/{project}/settings/roles/{role}/grants',
        request,
      );
    } else {
      await client.POST(
        '/instances/{instance}/projects/{project}/settings/roles/{role}/revocations',
        request,
      );
    }
  }

  async setAutoPromotion(
    ref: KargoProjectRef,
    stage: string,
    enabled: boolean,
  ): Promise<{ autoPromotionEnabled: boolean; heldByFreeze: boolean }> {
    const { path, header } = await this.project(ref);
    const { data } = await (
      await this.client()
    ).PUT(
      '/instances/{instance}/projects/{project}/settings/stages/{stage}/auto-promotion',
      { params: { path: { ...path, stage }, header }, body: { enabled } },
    );
    return data!;
  }

  async updateWarehouse(
    ref: KargoProjectRef,
    warehouse: string,
    spec: Record<string, unknown>,
  ): Promise<void> {
    const { path, header } = await this.project(ref);
    await (
      await this.client()
    ).PUT(
      '/instances/{instance}/projects/{project}/settings/warehouses/{warehouse}',
      {
        params: { path: { ...path, warehouse }, header },
        body: spec as { subscriptions: Array<Record<string, unknown>> },
      },
    );
  }

  async assembleFreight(
    ref: KargoProjectRef,
    warehouse: string,
    artifacts: Parameters<KargoApi['assembleFreight']>[2],
  ): Promise<void> {
    const { path, header } = await this.project(ref);
    await (
      await this.client()
    ).POST(
      '/instances/{instance}/projects/{project}/settings/warehouses/{warehouse}/freight',
      { params: { path: { ...path, warehouse }, header }, body: artifacts },
    );
  }

  async saveRepoCredentials(
    ref: KargoProjectRef,
    credentials: Parameters<KargoApi['saveRepoCredentials']>[1],
    mode: 'create' | 'update',
  ): Promise<KargoRepoCredentialsView> {
    const { path, header } = await this.project(ref);
    const client = await this.client();
    const { name, ...fields } = credentials;
    const type = credentials.type as 'git' | 'helm' | 'image';
    const { data } =
      mode === 'create'
        ? await client.POST(
            '/instances/{instance}/projects/{project}/settings/credentials',
            {
              params: { path, header },
              body: {
                ...credentials,
                type,
                username: credentials.username ?? '',
                password: credentials.password ?? '',
              },
            },
          )
        : await client.PUT(
            '/instances/{instance}/projects/{project}/settings/credentials/{name}',
            {
              params: { path: { ...path, name }, header },
              body: { ...fields, type, username: fields.username ?? '' },
            },
          );
    return data!;
  }

  async deleteRepoCredentials(
    ref: KargoProjectRef,
    name: string,
  ): Promise<void> {
    const { path, header } = await this.project(ref);
    await (
      await this.client()
    ).DELETE(
      '/instances/{instance}/projects/{project}/settings/credentials/{name}',
      { params: { path: { ...path, name }, header } },
    );
  }

  async listApprovalPolicies(
    ref: KargoProjectRef,
  ): ReturnType<KargoApi['listApprovalPolicies']> {
    const { data } = await (
      await this.client()
    ).GET('/instances/{instance}/projects/{project}/approval-policies', {
      params: { path: ref },
    });
    return data as unknown as Awaited<
      ReturnType<KargoApi['listApprovalPolicies']>
    >;
  }

  async createApprovalPolicy(
    ref: KargoProjectRef,
    policy: Parameters<KargoApi['createApprovalPolicy']>[1],
  ): Promise<ApprovalPolicyView> {
    const { data } = await (
      await this.client()
    ).POST('/instances/{instance}/projects/{project}/approval-policies', {
      params: { path: ref },
      body: policy,
    });
    return data as unknown as ApprovalPolicyView;
  }

  async deleteApprovalPolicy(
    ref: KargoProjectRef,
    name: string,
  ): Promise<void> {
    await (
      await this.client()
    ).DELETE(
      '/instances/{instance}/projects/{project}/approval-policies/{name}',
      { params: { path: { ...ref, name } } },
    );
  }

  async listApprovalRequests(
    ref: KargoProjectRef,
    filter: Parameters<KargoApi['listApprovalRequests']>[1] = {},
  ): Promise<ApprovalRequestView[]> {
    const { data } = await (
      await this.client()
    ).GET('/instances/{instance}/projects/{project}/approval-requests', {
      params: { path: ref, query: filter },
    });
    return data!.items;
  }

  async requestApproval(
    ref: KargoProjectRef,
    request: Parameters<KargoApi['requestApproval']>[1],
  ): Promise<ApprovalRequestView> {
    const { data } = await (
      await this.client()
    ).POST('/instances/{instance}/projects/{project}/approval-requests', {
      params: { path: ref },
      body: request,
    });
    return data!;
  }

  async voteOnApprovalRequest(
    ref: KargoProjectRef,
    id: string,
    vote: Parameters<KargoApi['voteOnApprovalRequest']>[2],
  ): Promise<ApprovalRequestView> {
    const { data } = await (
      await this.client()
    ).POST(
      '/instances/{instance}/projects/{project}/approval-requests/{id}/votes',
      { params: { path: { ...ref, id } }, body: vote },
    );
    return data!;
  }

  async listLineStops(): Promise<LineStopView[]> {
    const { data } = await (await this.client()).GET('/line-stops');
    return data!.items;
  }

  async startLineStop(
    stop: Parameters<KargoApi['startLineStop']>[0],
  ): Promise<LineStopView> {
    const { data } = await (
      await this.client()
    ).POST('/line-stops', { body: stop });
    return data!;
  }

  async endLineStop(id: string): Promise<void> {
    await (
      await this.client()
    ).DELETE('/line-stops/{id}', { params: { path: { id } } });
  }
}
