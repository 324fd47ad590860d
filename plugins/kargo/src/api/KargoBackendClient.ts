import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  FreightMetadataChange,
  FreightMetadataInput,
  FreightMetadataView,
  KargoEntityView,
  Promotion,
  PromotionRequest,
  PromotionWindow,
  PromotionWindowState,
  PromotionWindowView,
  KargoProjectSettings,
  KargoRepoCredentialsView,
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
export interface KargoClientOptions {
  discoveryApi: DiscoveryApi;
  fetchApi: FetchApi;
  /**
   * Only for Kargo instances configured with `forwardUserToken`: the user's own token that
   * Kargo accepts (e.g. an ID token from the identity provider Kargo trusts).
   */
  getKargoToken?(instance: string): Promise<string | undefined>;
}

const segment = encodeURIComponent;

const projectPath = (ref: KargoProjectRef) =>
  `/instances/${segment(ref.instance)}/projects/${segment(ref.project)}`;

/** The promote body's gate fields, only when set. */
const gatePass = (options: KargoMutationOptions) => ({
  ...(options.confirm?.length ? { confirm: options.confirm } : {}),
  ...(options.overrideFreeze ? { overrideFreeze: true } : {}),
});

/** Talks to the Kargo backend plugin with the signed-in user's Backstage token. @public */
export class KargoClient implements KargoApi {
  constructor(private readonly options: KargoClientOptions) {}

  async getHealth(): Promise<KargoBackendHealth> {
    return this.request<KargoBackendHealth>('GET', '/health');
  }

  async getEntityView(
    entityRef: string,
    options: { freightLimit?: number } = {},
  ): Promise<KargoEntityView> {
    const query = new URLSearchParams({ entityRef });
    if (options.freightLimit)
      query.set('freightLimit', String(options.freightLimit));
    return this.request<KargoEntityView>('GET', `/entity-view?${query}`);
  }

  promote(
    ref: KargoProjectRef,
    stage: string,
    freight: KargoFreightRef,
    options: KargoMutationOptions = {},
  ): Promise<Promotion | PromotionRequest> {
    return this.mutate(ref, 'POST', `/stages/${segment(stage)}/promotions`, {
      body: { ...freight, ...gatePass(options) },
      ...options,
    });
  }

  promoteDownstream(
    ref: KargoProjectRef,
    stage: string,
    freight: KargoFreightRef,
    options: KargoMutationOptions = {},
  ): Promise<{
    promotions?: Promotion[];
    promotionRequests?: PromotionRequest[];
  }> {
    return this.mutate(
      ref,
      'POST',
      `/stages/${segment(stage)}/promotions/downstream`,
      { body: { ...freight, ...gatePass(options) }, ...options },
    );
  }

  approveFreight(
    ref: KargoProjectRef,
    freight: string,
    stage: string,
  ): Promise<void> {
    return this.mutate(ref, 'POST', `/freight/${segment(freight)}/approve`, {
      body: { stage },
    });
  }

  abortPromotion(ref: KargoProjectRef, promotion: string): Promise<void> {
    return this.mutate(ref, 'POST', `/promotions/${segment(promotion)}/abort`);
  }

  refreshStage(ref: KargoProjectRef, stage: string): Promise<void> {
    return this.mutate(ref, 'POST', `/stages/${segment(stage)}/refresh`);
  }

  refreshWarehouse(ref: KargoProjectRef, warehouse: string): Promise<void> {
    return this.mutate(
      ref,
      'POST',
      `/warehouses/${segment(warehouse)}/refresh`,
    );
  }

  reverify(ref: KargoProjectRef, stage: string): Promise<void> {
    return this.mutate(ref, 'POST', `/stages/${segment(stage)}/verification`);
  }

  abortVerification(ref: KargoProjectRef, stage: string): Promise<void> {
    return this.mutate(
      ref,
      'POST',
      `/stages/${segment(stage)}/verification/abort`,
    );
  }

  updateFreightAlias(
    ref: KargoProjectRef,
    freight: string,
    alias: string,
  ): Promise<void> {
    return this.mutate(ref, 'PATCH', `/freight/${segment(freight)}/alias`, {
      body: { alias },
    });
  }

  async getPromotionGates(
    ref: KargoProjectRef,
    stage: string,
    freight: string,
  ): Promise<KargoGateOutcome[]> {
    const { items } = await this.request<{ items: KargoGateOutcome[] }>(
      'GET',
      `${projectPath(ref)}/stages/${segment(stage)}/gates?${new URLSearchParams(
        { freight },
      )}`,
    );
    return items;
  }

  updateFreightMetadata(
    ref: KargoProjectRef,
    freight: string,
    input: FreightMetadataInput,
  ): Promise<FreightMetadataView> {
    return this.mutate(ref, 'PUT', `/freight/${segment(freight)}/metadata`, {
      body: input,
    });
  }

  async getFreightMetadataHistory(
    ref: KargoProjectRef,
    freight: string,
  ): Promise<FreightMetadataChange[]> {
    const { items } = await this.request<{ items: FreightMetadataChange[] }>(
      'GET',
      `${projectPath(ref)}/freight/${segment(freight)}/metadata/history`,
    );
    return items;
  }

  listPromotionWindows(ref: KargoProjectRef): Promise<{
    items: PromotionWindowView[];
    stages: Record<string, PromotionWindowState>;
  }> {
    return this.request('GET', `${projectPath(ref)}/promotion-windows`);
  }

  createPromotionWindow(
    ref: KargoProjectRef,
    window: PromotionWindow & { reason?: string },
  ): Promise<PromotionWindowView> {
    return this.mutate(ref, 'POST', '/promotion-windows', { body: window });
  }

  deletePromotionWindow(ref: KargoProjectRef, name: string): Promise<void> {
    return this.mutate(ref, 'DELETE', `/promotion-windows/${segment(name)}`);
  }

  getProjectSettings(ref: KargoProjectRef): Promise<KargoProjectSettings> {
    return this.request('GET', `${projectPath(ref)}/settings`);
  }

  async changeRoleGrants(
    ref: KargoProjectRef,
    role: string,
    change: 'grants' | 'revocations',
    subjects: string[],
  ): Promise<void> {
    await this.mutate(
      ref,
      'POST',
      `/settings/roles/${segment(role)}/${change}`,
      {
        body: { subjects },
      },
    );
  }

  setAutoPromotion(
    ref: KargoProjectRef,
    stage: string,
    enabled: boolean,
  ): Promise<{ autoPromotionEnabled: boolean; heldByFreeze: boolean }> {
    return this.mutate(
      ref,
      'PUT',
      `/settings/stages/${segment(stage)}/auto-promotion`,
      { body: { enabled } },
    );
  }

  async updateWarehouse(
    ref: KargoProjectRef,
    warehouse: string,
    spec: Record<string, unknown>,
  ): Promise<void> {
    await this.mutate(
      ref,
      'PUT',
      `/settings/warehouses/${segment(warehouse)}`,
      {
        body: spec,
      },
    );
  }

  async assembleFreight(
    ref: KargoProjectRef,
    warehouse: string,
    artifacts: {
      images?: Array<{ repoURL: string; tag: string }>;
      commits?: Array<{ repoURL: string; id: string }>;
    },
  ): Promise<void> {
    await this.mutate(
      ref,
      'POST',
      `/settings/warehouses/${segment(warehouse)}/freight`,
      { body: artifacts },
    );
  }

  saveRepoCredentials(
    ref: KargoProjectRef,
    credentials: Omit<KargoRepoCredentialsView, 'repoUrlIsRegex'> & {
      repoUrlIsRegex?: boolean;
      password?: string;
    },
    mode: 'create' | 'update',
  ): Promise<KargoRepoCredentialsView> {
    const { name, ...fields } = credentials;
    return mode === 'create'
      ? this.mutate(ref, 'POST', '/settings/credentials', { body: credentials })
      : this.mutate(ref, 'PUT', `/settings/credentials/${segment(name)}`, {
          body: fields,
        });
  }

  async deleteRepoCredentials(
    ref: KargoProjectRef,
    name: string,
  ): Promise<void> {
    await this.mutate(ref, 'DELETE', `/settings/credentials/${segment(name)}`);
  }

  private async mutate<T>(
    ref: KargoProjectRef,
    method: 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    path: string,
    options: { body?: unknown } & KargoMutationOptions = {},
  ): Promise<T> {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
    };
    if (options.idempotencyKey) {
      headers['idempotency-key'] = options.idempotencyKey;
    }
    const kargoToken = await this.options.getKargoToken?.(ref.instance);
    if (kargoToken) headers['x-kargo-token'] = kargoToken;
    return this.request<T>(method, `${projectPath(ref)}${path}`, {
      headers,
      body: JSON.stringify(options.body ?? {}),
    });
  }

  private async request<T>(
    method: string,
    path: string,
    init: { headers?: Record<string, string>; body?: string } = {},
  ): Promise<T> {
    const baseUrl = await this.options.discoveryApi.getBaseUrl('kargo');
    const response = await this.options.fetchApi.fetch(`${baseUrl}${path}`, {
      method,
      ...init,
    });
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }
}
