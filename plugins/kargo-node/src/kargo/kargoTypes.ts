import type { KargoSchemas } from '@kargo-backstage/plugin-kargo-common';

/** A Kargo project role (`rbacapi.Role`): the OIDC claims bound to it and its rules. @public */
export type KargoRole = KargoSchemas['RbacRole'];

/** A Kubernetes Secret as Kargo's API returns it (credentials redacted). @public */
export type KargoSecret = KargoSchemas['V1Secret'];
/** @public */
export type KargoSecretList = KargoSchemas['V1SecretList'];
/** Fields of repository credentials Kargo accepts on create and replace (PUT). @public */
export type KargoRepoCredentialsRequest =
  KargoSchemas['UpdateRepoCredentialsRequest'];
/** Fields of repository credentials to change with PATCH; left out, they stay. @public */
export type KargoRepoCredentialsPatch =
  KargoSchemas['PatchRepoCredentialsRequest'];

/** The answer of the /v1beta1/resources routes: one result per manifest document. @public */
export interface ResourcesResponse {
  results?: Array<Record<string, unknown> & { error?: string }>;
}
