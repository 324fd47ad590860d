import type { components, operations, paths } from './generated/kargo-api';

/** Kargo REST API v1beta1, as generated from Kargo's OpenAPI document. @public */
export type KargoPaths = paths;
/** @public */
export type KargoOperations = operations;
/** @public */
export type KargoSchemas = components['schemas'];

/** @public */ export type ObjectMeta = KargoSchemas['V1ObjectMeta'];
/** @public */ export type Project = KargoSchemas['Project'];
/** @public */ export type ProjectConfig = KargoSchemas['ProjectConfig'];
/** @public */ export type PromotionPolicy = KargoSchemas['PromotionPolicy'];
/** @public */ export type Warehouse = KargoSchemas['Warehouse'];
/** @public */ export type WarehouseList = KargoSchemas['WarehouseList'];
/** @public */ export type Freight = KargoSchemas['Freight'];
/** @public */ export type FreightOrigin = KargoSchemas['FreightOrigin'];
/** @public */ export type FreightReference = KargoSchemas['FreightReference'];
/** @public */ export type FreightRequest = KargoSchemas['FreightRequest'];
/** @public */ export type FreightCollection =
  KargoSchemas['FreightCollection'];
/** @public */ export type Image = KargoSchemas['Image'];
/** @public */ export type GitCommit = KargoSchemas['GitCommit'];
/** @public */ export type Chart = KargoSchemas['Chart'];
/** @public */ export type Stage = KargoSchemas['Stage'];
/** @public */ export type StageList = KargoSchemas['StageList'];
/** @public */ export type StageStatus = KargoSchemas['StageStatus'];
/** @public */ export type VerificationInfo = KargoSchemas['VerificationInfo'];
/** @public */ export type Promotion = KargoSchemas['Promotion'];
/** @public */ export type PromotionList = KargoSchemas['PromotionList'];
/** @public */ export type PromotionStep = KargoSchemas['PromotionStep'];
/** @public */ export type StepExecutionMetadata =
  KargoSchemas['StepExecutionMetadata'];
/** @public */ export type VersionInfo = KargoSchemas['VersionInfo'];
/** @public */ export type ListProjectsResponse =
  KargoSchemas['ListProjectsResponse'];
/** @public */ export type PromoteToStageRequest =
  KargoSchemas['PromoteToStageRequest'];
/** @public */ export type PromoteDownstreamRequest =
  KargoSchemas['PromoteDownstreamRequest'];

/** The body of `GET /v1beta1/projects/{project}/freight`. @public */
export type QueryFreightResponse =
  operations['QueryFreightsRest']['responses'][200]['content']['application/json'];
/** A Kubernetes Event as `GET /v1beta1/projects/{project}/events` returns it. @public */
export type ProjectEventList =
  operations['ListProjectEvents']['responses'][200]['content']['application/json'];

/** One frame of a `?watch=true` Server-Sent-Events stream. @public */
export interface KargoWatchEvent<T> {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: T;
}

/** Kargo's error body on every failed REST call. @public */
export interface KargoErrorBody {
  error: string;
}

/** Phases after which a Promotion no longer changes. @public */
export const TERMINAL_PROMOTION_PHASES = [
  'Succeeded',
  'Failed',
  'Errored',
  'Aborted',
] as const;

/** Phases after which a verification (AnalysisRun) no longer changes. @public */
export const TERMINAL_VERIFICATION_PHASES = [
  'Successful',
  'Failed',
  'Error',
  'Aborted',
  'Inconclusive',
] as const;
