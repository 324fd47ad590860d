import {
  AuditorService,
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { ResourcePermission } from '@backstage/plugin-permission-common';
import { JsonObject, JsonValue } from '@backstage/types';
import {
  KargoClient,
  KargoInstances,
} from '@kargo-backstage/plugin-kargo-node';
import express from 'express';
import { z } from 'zod/v3';
import { ProjectStates } from '../state/ProjectStates';
import { ProjectSnapshot } from '../views/buildProjectView';
import { pathParams } from './schemas';

/*
 * The words of an operation: what a service needs (deps), what a change is asked with (call),
 * what its handler gets (operation) and what it answers (result).
 */

export interface OperationDeps {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
  instances: KargoInstances;
  states: ProjectStates;
  /** Called after a change succeeded, e.g. to tell open pages. */
  onChange?(instance: string, project: string): Promise<void> | void;
  /** The routes change only the portal's data, not Kargo's: keep the Kargo cache. */
  portalDataOnly?: boolean;
}

/** What every operation handler gets: the checked request and the project as last read. */
export interface Operation<B> {
  credentials: BackstageCredentials;
  params: z.infer<typeof pathParams>;
  body: B;
  instance: string;
  project: string;
  /** Reads (states) always use the service token. */
  reader: KargoClient;
  /** The client that makes the change: the user's own token when forwarded. */
  writer: KargoClient;
  snapshot: () => Promise<ProjectSnapshot>;
  /** Throws 403 unless the user holds `permission` on every resource. */
  authorize(
    permission: ResourcePermission,
    resourceRefs: string[],
  ): Promise<void>;
  stageRef(stage: string): string;
  /** Fills the audit event's meta as the operation learns more. */
  meta: JsonObject;
}

export interface OperationResult {
  status: number;
  body?: JsonValue;
  headers?: Record<string, string>;
}

/** One change asked for, by HTTP or by an action: who, where, what. */
export interface OperationCall<B> {
  credentials: BackstageCredentials;
  params: z.infer<typeof pathParams>;
  body: B;
  /** The user's own Kargo token, for instances that act with it (forwardUserToken). */
  kargoToken?: string;
  /** The caller's Idempotency-Key, for changes that make something (promotions). */
  idempotencyKey?: string;
  /** The HTTP request when there is one: the auditor reads where it came from. */
  request?: express.Request;
}

export type OperationHandler<B> = (
  op: Operation<B>,
) => Promise<OperationResult>;
