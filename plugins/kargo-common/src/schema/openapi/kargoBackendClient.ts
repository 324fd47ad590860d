import createClient, { Client } from 'openapi-fetch';
import type {
  components,
  operations,
  paths,
} from './generated/kargoBackendApi';

/**
 * The Kargo backend plugin's API as typed by its spec (plugins/kargo-backend/src/schema/
 * openapi.yaml): every caller of the plugin's routes (the frontend, the scaffolder module,
 * tests) uses this one client, so a route, parameter or body the spec does not have is a type
 * error.
 *
 * @public
 */
export type KargoBackendApiClient = Client<KargoBackendApiPaths>;

/** The routes of the Kargo backend plugin, from its spec. @public */
export type KargoBackendApiPaths = paths;
/** @public */
export type KargoBackendApiOperations = operations;
/** @public */
export type KargoBackendApiSchemas = components['schemas'];

/**
 * Creates the client on the plugin's base URL (`discovery.getBaseUrl('kargo')`). `fetch` adds
 * the caller's Backstage token (the frontend's fetchApi, or a fetch with a service token);
 * `onError` turns an answer that is not ok into the caller's error (e.g. ResponseError), before
 * the body is read.
 *
 * @public
 */
export function createKargoBackendClient(options: {
  baseUrl: string;
  fetch: (request: Request) => Promise<Response>;
  onError(response: Response): Promise<Error>;
}): KargoBackendApiClient {
  const client = createClient<KargoBackendApiPaths>({
    baseUrl: options.baseUrl,
    fetch: options.fetch,
  });
  client.use({
    async onResponse({ response }) {
      if (!response.ok) throw await options.onError(response);
      return undefined;
    },
  });
  return client;
}
