import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type { KargoEntityView } from '@kargo-backstage/plugin-kargo-common';
import { KargoApi, KargoBackendHealth } from './KargoApi';

/** Talks to the Kargo backend plugin with the signed-in user's Backstage token. @public */
export class KargoClient implements KargoApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  async getHealth(): Promise<KargoBackendHealth> {
    return this.get<KargoBackendHealth>('/health');
  }

  async getEntityView(
    entityRef: string,
    options: { freightLimit?: number } = {},
  ): Promise<KargoEntityView> {
    const query = new URLSearchParams({ entityRef });
    if (options.freightLimit)
      query.set('freightLimit', String(options.freightLimit));
    return this.get<KargoEntityView>(`/entity-view?${query}`);
  }

  private async get<T>(path: string): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('kargo');
    const response = await this.fetchApi.fetch(`${baseUrl}${path}`);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
