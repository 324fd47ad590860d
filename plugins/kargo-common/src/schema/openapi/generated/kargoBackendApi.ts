/* eslint-disable */
// Generated from plugins/kargo-backend/src/schema/openapi.yaml by
// scripts/generate-openapi.js (yarn openapi:generate). Do not edit.
export interface paths {
  '/health': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** @description Whether the plugin runs and which Kargo instances it knows; calls no Kargo. No token needed. */
    get: operations['GetHealth'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/entity-view': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** @description Everything the Kargo tab shows for a catalog entity: one view per Kargo project it names. A project that fails (unreachable Kargo, not allowed) is reported in place; when all fail, the first failure is the answer. */
    get: operations['GetEntityView'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/instances/{instance}/projects/{project}/stages/{stage}/gates': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** @description What each promotion gate says about freight going into the stage, before anyone promotes. */
    get: operations['GetPromotionGates'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/instances/{instance}/projects/{project}/stages/{stage}/promotions': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** @description Promotes freight into the stage (kargo.freight.promote on the stage), after the availability checks and the promotion gates. Kargo's answer: a Promotion, or a PromotionRequest for a stage that selects Targets (Kargo after v1.11.2). */
    post: operations['Promote'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/instances/{instance}/projects/{project}/stages/{stage}/promotions/downstream': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** @description Promotes freight verified in the stage into every stage downstream of it (kargo.freight.promote on each). */
    post: operations['PromoteDownstream'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/instances/{instance}/projects/{project}/freight/{freight}/approve': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** @description Approves freight for a stage (kargo.freight.approve on the stage). */
    post: operations['ApproveFreight'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/instances/{instance}/projects/{project}/freight/{freight}/alias': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    /** @description Gives freight a new alias (kargo.freight.alias.update on the project). */
    patch: operations['UpdateFreightAlias'];
    trace?: never;
  };
  '/instances/{instance}/projects/{project}/promotions/{promotion}/abort': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** @description Aborts a running promotion (kargo.promotion.abort on its stage). */
    post: operations['AbortPromotion'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/instances/{instance}/projects/{project}/stages/{stage}/refresh': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations['RefreshStage'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/instances/{instance}/projects/{project}/warehouses/{warehouse}/refresh': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations['RefreshWarehouse'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/instances/{instance}/projects/{project}/stages/{stage}/verification': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** @description Verifies the stage's current freight again (kargo.stage.reverify on the stage). */
    post: operations['Reverify'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/instances/{instance}/projects/{project}/stages/{stage}/verification/abort': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations['AbortVerification'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/instances/{instance}/projects/{project}/freight-metadata': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** @description The portal's metadata of up to 1 000 freight, in one query. */
    get: operations['GetFreightMetadata'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/instances/{instance}/projects/{project}/freight/{freight}/metadata': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /** @description Writes the portal's metadata of freight over `version`; 409 when someone wrote since. */
    put: operations['UpdateFreightMetadata'];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/instances/{instance}/projects/{project}/freight/{freight}/metadata/history': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['GetFreightMetadataHistory'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/instances/{instance}/projects/{project}/promotion-windows': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** @description The project's freeze (promotion) windows and each stage's state now. */
    get: operations['ListPromotionWindows'];
    put?: never;
    /** @description Creates a window (kargo.freeze.manage, and kargo.stage.manage on each stage it selects). */
    post: operations['CreatePromotionWindow'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/instances/{instance}/projects/{project}/promotion-windows/{name}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    delete: operations['DeletePromotionWindow'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/instances/{instance}/projects/{project}/settings': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** @description Roles with their claims, auto-promotion per stage, warehouses and credentials (kargo.project.settings.read). */
    get: operations['GetProjectSettings'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/instances/{instance}/projects/{project}/settings/roles/{role}/grants': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** @description Grants a Kargo role to portal groups and users, as the OIDC claims Kargo matches. */
    post: operations['GrantRole'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/instances/{instance}/projects/{project}/settings/roles/{role}/revocations': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations['RevokeRole'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/instances/{instance}/projects/{project}/settings/stages/{stage}/auto-promotion': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put: operations['SetAutoPromotion'];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/instances/{instance}/projects/{project}/settings/credentials': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['ListRepoCredentials'];
    put?: never;
    post: operations['CreateRepoCredentials'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/instances/{instance}/projects/{project}/settings/credentials/{name}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /** @description Replaces every field; a password left out keeps the stored one. */
    put: operations['UpdateRepoCredentials'];
    post?: never;
    delete: operations['DeleteRepoCredentials'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/instances/{instance}/projects/{project}/settings/warehouses/{warehouse}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /** @description Replaces a warehouse's spec (subscriptions, filters, interval, freight creation). */
    put: operations['UpdateWarehouse'];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/instances/{instance}/projects/{project}/settings/warehouses/{warehouse}/freight': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** @description Creates freight from artifacts a Manual warehouse discovered. */
    post: operations['AssembleFreight'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/instances/{instance}/projects/{project}/approval-policies': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** @description The project's approval policies and the stages each selects (kargo.project.read). */
    get: operations['ListApprovalPolicies'];
    put?: never;
    /** @description Creates a policy (kargo.project.manage, and kargo.stage.manage on each stage it selects). */
    post: operations['CreateApprovalPolicy'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/instances/{instance}/projects/{project}/approval-policies/{name}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** @description Ends a policy (kargo.project.manage, and kargo.stage.manage on each stage it selects). */
    delete: operations['DeleteApprovalPolicy'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/instances/{instance}/projects/{project}/approval-requests': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** @description Approval requests of the project, newest first (kargo.project.read). */
    get: operations['ListApprovalRequests'];
    put?: never;
    /** @description Asks for approval to promote a freight into a stage that an approval policy selects (kargo.freight.promote on the stage). The approvers are notified. */
    post: operations['CreateApprovalRequest'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/instances/{instance}/projects/{project}/approval-requests/{id}/votes': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** @description Approves or rejects a pending request: the caller must be a member of a group a policy names, and not its requester. Each approver counts once. The requester is notified. */
    post: operations['VoteOnApprovalRequest'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/line-stops': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** @description Stop-the-line freezes in force (any signed-in user). */
    get: operations['ListLineStops'];
    put?: never;
    /** @description Closes every stage of every project, portal-wide or of one instance, until ended (kargo.line.stop). Auto-promotion is held everywhere meanwhile. */
    post: operations['StartLineStop'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/line-stops/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** @description Ends a stop-the-line freeze (kargo.line.stop). */
    delete: operations['EndLineStop'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
export type webhooks = Record<string, never>;
export interface components {
  schemas: {
    Error: {
      error: {
        name: string;
        message: string;
      } & {
        [key: string]: unknown;
      };
      request?: {
        [key: string]: unknown;
      };
      response?: {
        [key: string]: unknown;
      };
    } & {
      [key: string]: unknown;
    };
    /** @description A Kubernetes object name, as Kargo names stages, warehouses, freight and promotions. */
    ObjectName: string;
    /** @description A Kargo resource as Kargo's API answers it (see Kargo's OpenAPI document). */
    KargoObject: {
      [key: string]: unknown;
    };
    /** @description Everything the Kargo tab shows for an entity (KargoEntityView in kargo-common). */
    KargoEntityView: {
      entityRef: string;
      stages?: string[];
      warehouses?: string[];
      projects: ({
        instance: string;
        project: string;
      } & {
        [key: string]: unknown;
      })[];
      lineStops?: components['schemas']['LineStopView'][];
    };
    /** @description One promotion gate's answer for freight going into a stage, and what the user can do about it. */
    GateOutcome: {
      gate: string;
      stage: string;
      /** @enum {string} */
      result: 'allow' | 'deny' | 'confirm';
      reason?: string;
      details?: {
        [key: string]: string;
      };
      /** @description A deny that a user holding overridePermission may override (name the gate in `override`). */
      overridable: boolean;
      overridePermission?: string;
      /** @description Passes once the user confirms the reason (name the gate in `confirm`). */
      needsConfirmation: boolean;
    };
    /** @description Kargo's PromoteToStageRequest, minus origin; exactly one of freight or freightAlias. */
    PromoteRequest: {
      freight?: components['schemas']['ObjectName'];
      freightAlias?: string;
      /** @description Gates whose confirmation the user accepted. */
      confirm?: string[];
      /** @description Overridable gates whose deny the user overrides; each needs the permission its outcome names. */
      override?: string[];
      /** @description The same as override ["freeze"], as clients before `override` send it. */
      overrideFreeze?: boolean;
    };
    FreightMetadataInput: {
      version: number;
      notes?: string;
      links?: {
        title: string;
        url: string;
      }[];
      labels?: {
        [key: string]: string;
      };
      verdict?: {
        /** @enum {string} */
        value: 'recommended' | 'do-not-promote';
        reason?: string;
      } | null;
    };
    /** @description The portal's metadata of one freight (FreightMetadataView in kargo-common). */
    FreightMetadataView: {
      freight: string;
      version: number;
    } & {
      [key: string]: unknown;
    };
    PromotionWindow: {
      name: components['schemas']['ObjectName'];
      /** @enum {string} */
      kind: 'Allow' | 'Deny';
      stageSelector?: {
        name?: string;
        matchLabels?: {
          [key: string]: string;
        };
      };
      dtstart: string;
      dtend: string;
      rrule?: string;
      timeZone?: string;
      reason?: string;
    };
    PromotionWindowView: {
      name: string;
      kind: string;
      createdBy?: string;
      createdAt?: string;
    } & {
      [key: string]: unknown;
    };
    /** @description What the portal shows of repository credentials; never the password. */
    RepoCredentials: {
      name: string;
      type: string;
      repoUrl: string;
      repoUrlIsRegex: boolean;
      username?: string;
      description?: string;
    };
    RepoCredentialsCreate: {
      name: components['schemas']['ObjectName'];
      /** @enum {string} */
      type: 'git' | 'helm' | 'image';
      repoUrl: string;
      repoUrlIsRegex?: boolean;
      username: string;
      password: string;
      description?: string;
    };
    /** @description Every field but the name; a password left out keeps the stored one. */
    RepoCredentialsUpdate: {
      /** @enum {string} */
      type: 'git' | 'helm' | 'image';
      repoUrl: string;
      repoUrlIsRegex?: boolean;
      username: string;
      password?: string;
      description?: string;
    };
    Subjects: {
      /** @description Portal groups and users (entity refs); a bare name is a group. */
      subjects: string[];
    };
    ApprovalPolicy: {
      name: components['schemas']['ObjectName'];
      stageSelector?: {
        name?: string;
        matchLabels?: {
          [key: string]: string;
        };
      };
      approvals: number;
      /** @description Group entity refs whose members may approve; a bare name is a group of the default namespace. */
      groups: string[];
      /** @description A Go duration (e.g. 24h); an approval older than this no longer counts. */
      expiresAfter?: string;
    };
    ApprovalPolicyView: {
      name: string;
      stageSelector?: {
        [key: string]: unknown;
      };
      approvals: number;
      groups: string[];
      expiresAfter?: string;
      createdBy: string;
      createdAt: string;
    };
    ApprovalRequestView: {
      id: string;
      instance: string;
      project: string;
      stage: string;
      freight: string;
      requestedBy: string;
      requestedAt: string;
      comment?: string;
      votes: {
        by: string;
        /** @enum {string} */
        decision: 'Approved' | 'Rejected';
        comment?: string;
        at: string;
        asMemberOf: string;
      }[];
      /** @enum {string} */
      state: 'Pending' | 'Approved' | 'Rejected' | 'Expired';
      policies: {
        policy: string;
        groups: string[];
        required: number;
        counted: number;
      }[];
      expiresAt?: string;
    };
    LineStopView: {
      id: string;
      instance?: string;
      reason: string;
      startedBy: string;
      startedAt: string;
    };
  };
  responses: {
    /** @description Done. */
    NoContent: {
      headers: {
        [name: string]: unknown;
      };
      content?: never;
    };
    /** @description 400 bad input, 401 not signed in, 403 not allowed (the permission and resources named), 404 no such resource, 409 the project's state refuses it (freeze, gate, not available, stale version), 503 Kargo could not be reached or its answer was lost. */
    Error: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['Error'];
      };
    };
  };
  parameters: {
    /** @description A Kargo instance named in kargo.instances. */
    instance: string;
    project: components['schemas']['ObjectName'];
    stage: components['schemas']['ObjectName'];
    warehouse: components['schemas']['ObjectName'];
    /** @description A freight's name or alias, as Kargo's `{freight-name-or-alias}`. */
    freight: string;
    /** @description A retry with the same key gets the first answer (Idempotent-Replayed), never a second Promotion. */
    idempotencyKey: string;
    /** @description The user's own Kargo token, for instances configured with forwardUserToken only. */
    kargoToken: string;
  };
  requestBodies: never;
  headers: never;
  pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
  GetHealth: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Running. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            status: string;
            instances: string[];
          };
        };
      };
    };
  };
  GetEntityView: {
    parameters: {
      query: {
        /** @description e.g. component:default/guestbook (':' and '/' may stand unencoded). */
        entityRef: string;
        freightLimit?: number;
        promotionLimit?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The entity's view. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['KargoEntityView'];
        };
      };
      default: components['responses']['Error'];
    };
  };
  GetPromotionGates: {
    parameters: {
      query: {
        freight: string;
      };
      header?: never;
      path: {
        /** @description A Kargo instance named in kargo.instances. */
        instance: components['parameters']['instance'];
        project: components['parameters']['project'];
        stage: components['parameters']['stage'];
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Every gate's outcome. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: components['schemas']['GateOutcome'][];
          };
        };
      };
      default: components['responses']['Error'];
    };
  };
  Promote: {
    parameters: {
      query?: never;
      header?: {
        /** @description A retry with the same key gets the first answer (Idempotent-Replayed), never a second Promotion. */
        'Idempotency-Key'?: components['parameters']['idempotencyKey'];
        /** @description The user's own Kargo token, for instances configured with forwardUserToken only. */
        'x-kargo-token'?: components['parameters']['kargoToken'];
      };
      path: {
        /** @description A Kargo instance named in kargo.instances. */
        instance: components['parameters']['instance'];
        project: components['parameters']['project'];
        stage: components['parameters']['stage'];
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['PromoteRequest'];
      };
    };
    responses: {
      /** @description The Promotion (or PromotionRequest) Kargo created. */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['KargoObject'];
        };
      };
      default: components['responses']['Error'];
    };
  };
  PromoteDownstream: {
    parameters: {
      query?: never;
      header?: {
        /** @description A retry with the same key gets the first answer (Idempotent-Replayed), never a second Promotion. */
        'Idempotency-Key'?: components['parameters']['idempotencyKey'];
        /** @description The user's own Kargo token, for instances configured with forwardUserToken only. */
        'x-kargo-token'?: components['parameters']['kargoToken'];
      };
      path: {
        /** @description A Kargo instance named in kargo.instances. */
        instance: components['parameters']['instance'];
        project: components['parameters']['project'];
        stage: components['parameters']['stage'];
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['PromoteRequest'];
      };
    };
    responses: {
      /** @description What Kargo created. */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            promotions?: components['schemas']['KargoObject'][];
            promotionRequests?: components['schemas']['KargoObject'][];
          } & {
            [key: string]: unknown;
          };
        };
      };
      default: components['responses']['Error'];
    };
  };
  ApproveFreight: {
    parameters: {
      query?: never;
      header?: {
        /** @description The user's own Kargo token, for instances configured with forwardUserToken only. */
        'x-kargo-token'?: components['parameters']['kargoToken'];
      };
      path: {
        /** @description A Kargo instance named in kargo.instances. */
        instance: components['parameters']['instance'];
        project: components['parameters']['project'];
        /** @description A freight's name or alias, as Kargo's `{freight-name-or-alias}`. */
        freight: components['parameters']['freight'];
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          stage: components['schemas']['ObjectName'];
        };
      };
    };
    responses: {
      204: components['responses']['NoContent'];
      default: components['responses']['Error'];
    };
  };
  UpdateFreightAlias: {
    parameters: {
      query?: never;
      header?: {
        /** @description The user's own Kargo token, for instances configured with forwardUserToken only. */
        'x-kargo-token'?: components['parameters']['kargoToken'];
      };
      path: {
        /** @description A Kargo instance named in kargo.instances. */
        instance: components['parameters']['instance'];
        project: components['parameters']['project'];
        /** @description A freight's name or alias, as Kargo's `{freight-name-or-alias}`. */
        freight: components['parameters']['freight'];
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          alias: string;
        };
      };
    };
    responses: {
      204: components['responses']['NoContent'];
      default: components['responses']['Error'];
    };
  };
  AbortPromotion: {
    parameters: {
      query?: never;
      header?: {
        /** @description The user's own Kargo token, for instances configured with forwardUserToken only. */
        'x-kargo-token'?: components['parameters']['kargoToken'];
      };
      path: {
        /** @description A Kargo instance named in kargo.instances. */
        instance: components['parameters']['instance'];
        project: components['parameters']['project'];
        promotion: components['schemas']['ObjectName'];
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      204: components['responses']['NoContent'];
      default: components['responses']['Error'];
    };
  };
  RefreshStage: {
    parameters: {
      query?: never;
      header?: {
        /** @description The user's own Kargo token, for instances configured with forwardUserToken only. */
        'x-kargo-token'?: components['parameters']['kargoToken'];
      };
      path: {
        /** @description A Kargo instance named in kargo.instances. */
        instance: components['parameters']['instance'];
        project: components['parameters']['project'];
        stage: components['parameters']['stage'];
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      204: components['responses']['NoContent'];
      default: components['responses']['Error'];
    };
  };
  RefreshWarehouse: {
    parameters: {
      query?: never;
      header?: {
        /** @description The user's own Kargo token, for instances configured with forwardUserToken only. */
        'x-kargo-token'?: components['parameters']['kargoToken'];
      };
      path: {
        /** @description A Kargo instance named in kargo.instances. */
        instance: components['parameters']['instance'];
        project: components['parameters']['project'];
        warehouse: components['parameters']['warehouse'];
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      204: components['responses']['NoContent'];
      default: components['responses']['Error'];
    };
  };
  Reverify: {
    parameters: {
      query?: never;
      header?: {
        /** @description The user's own Kargo token, for instances configured with forwardUserToken only. */
        'x-kargo-token'?: components['parameters']['kargoToken'];
      };
      path: {
        /** @description A Kargo instance named in kargo.instances. */
        instance: components['parameters']['instance'];
        project: components['parameters']['project'];
        stage: components['parameters']['stage'];
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      204: components['responses']['NoContent'];
      default: components['responses']['Error'];
    };
  };
  AbortVerification: {
    parameters: {
      query?: never;
      header?: {
        /** @description The user's own Kargo token, for instances configured with forwardUserToken only. */
        'x-kargo-token'?: components['parameters']['kargoToken'];
      };
      path: {
        /** @description A Kargo instance named in kargo.instances. */
        instance: components['parameters']['instance'];
        project: components['parameters']['project'];
        stage: components['parameters']['stage'];
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      204: components['responses']['NoContent'];
      default: components['responses']['Error'];
    };
  };
  GetFreightMetadata: {
    parameters: {
      query: {
        freight: string[];
      };
      header?: never;
      path: {
        /** @description A Kargo instance named in kargo.instances. */
        instance: components['parameters']['instance'];
        project: components['parameters']['project'];
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The metadata found. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: components['schemas']['FreightMetadataView'][];
          };
        };
      };
      default: components['responses']['Error'];
    };
  };
  UpdateFreightMetadata: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description A Kargo instance named in kargo.instances. */
        instance: components['parameters']['instance'];
        project: components['parameters']['project'];
        /** @description A freight's name or alias, as Kargo's `{freight-name-or-alias}`. */
        freight: components['parameters']['freight'];
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['FreightMetadataInput'];
      };
    };
    responses: {
      /** @description The metadata as stored. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['FreightMetadataView'];
        };
      };
      default: components['responses']['Error'];
    };
  };
  GetFreightMetadataHistory: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description A Kargo instance named in kargo.instances. */
        instance: components['parameters']['instance'];
        project: components['parameters']['project'];
        /** @description A freight's name or alias, as Kargo's `{freight-name-or-alias}`. */
        freight: components['parameters']['freight'];
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Who wrote what, newest first. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: {
              [key: string]: unknown;
            }[];
          };
        };
      };
      default: components['responses']['Error'];
    };
  };
  ListPromotionWindows: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description A Kargo instance named in kargo.instances. */
        instance: components['parameters']['instance'];
        project: components['parameters']['project'];
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Windows and states. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: components['schemas']['PromotionWindowView'][];
            stages: {
              [key: string]: {
                [key: string]: unknown;
              };
            };
          };
        };
      };
      default: components['responses']['Error'];
    };
  };
  CreatePromotionWindow: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description A Kargo instance named in kargo.instances. */
        instance: components['parameters']['instance'];
        project: components['parameters']['project'];
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['PromotionWindow'];
      };
    };
    responses: {
      /** @description The window as stored. */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['PromotionWindowView'];
        };
      };
      default: components['responses']['Error'];
    };
  };
  DeletePromotionWindow: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description A Kargo instance named in kargo.instances. */
        instance: components['parameters']['instance'];
        project: components['parameters']['project'];
        name: components['schemas']['ObjectName'];
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      204: components['responses']['NoContent'];
      default: components['responses']['Error'];
    };
  };
  GetProjectSettings: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description A Kargo instance named in kargo.instances. */
        instance: components['parameters']['instance'];
        project: components['parameters']['project'];
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The settings (KargoProjectSettings in kargo-common). */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            instance: string;
            project: string;
            roles: {
              [key: string]: unknown;
            }[];
            stages: {
              [key: string]: unknown;
            }[];
            warehouses: {
              [key: string]: unknown;
            }[];
            credentials: components['schemas']['RepoCredentials'][];
          } & {
            [key: string]: unknown;
          };
        };
      };
      default: components['responses']['Error'];
    };
  };
  GrantRole: {
    parameters: {
      query?: never;
      header?: {
        /** @description The user's own Kargo token, for instances configured with forwardUserToken only. */
        'x-kargo-token'?: components['parameters']['kargoToken'];
      };
      path: {
        /** @description A Kargo instance named in kargo.instances. */
        instance: components['parameters']['instance'];
        project: components['parameters']['project'];
        role: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['Subjects'];
      };
    };
    responses: {
      /** @description The role as Kargo answers it. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['KargoObject'];
        };
      };
      default: components['responses']['Error'];
    };
  };
  RevokeRole: {
    parameters: {
      query?: never;
      header?: {
        /** @description The user's own Kargo token, for instances configured with forwardUserToken only. */
        'x-kargo-token'?: components['parameters']['kargoToken'];
      };
      path: {
        /** @description A Kargo instance named in kargo.instances. */
        instance: components['parameters']['instance'];
        project: components['parameters']['project'];
        role: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['Subjects'];
      };
    };
    responses: {
      /** @description The role as Kargo answers it. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['KargoObject'];
        };
      };
      default: components['responses']['Error'];
    };
  };
  SetAutoPromotion: {
    parameters: {
      query?: never;
      header?: {
        /** @description The user's own Kargo token, for instances configured with forwardUserToken only. */
        'x-kargo-token'?: components['parameters']['kargoToken'];
      };
      path: {
        /** @description A Kargo instance named in kargo.instances. */
        instance: components['parameters']['instance'];
        project: components['parameters']['project'];
        stage: components['parameters']['stage'];
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          enabled: boolean;
        };
      };
    };
    responses: {
      /** @description Whether auto-promotion is on, and whether a freeze holds it off for now. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            autoPromotionEnabled: boolean;
            heldByFreeze: boolean;
          };
        };
      };
      default: components['responses']['Error'];
    };
  };
  ListRepoCredentials: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description A Kargo instance named in kargo.instances. */
        instance: components['parameters']['instance'];
        project: components['parameters']['project'];
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The project's repository credentials, without passwords. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: components['schemas']['RepoCredentials'][];
          };
        };
      };
      default: components['responses']['Error'];
    };
  };
  CreateRepoCredentials: {
    parameters: {
      query?: never;
      header?: {
        /** @description The user's own Kargo token, for instances configured with forwardUserToken only. */
        'x-kargo-token'?: components['parameters']['kargoToken'];
      };
      path: {
        /** @description A Kargo instance named in kargo.instances. */
        instance: components['parameters']['instance'];
        project: components['parameters']['project'];
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['RepoCredentialsCreate'];
      };
    };
    responses: {
      /** @description The credentials as stored, without the password. */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['RepoCredentials'];
        };
      };
      default: components['responses']['Error'];
    };
  };
  UpdateRepoCredentials: {
    parameters: {
      query?: never;
      header?: {
        /** @description The user's own Kargo token, for instances configured with forwardUserToken only. */
        'x-kargo-token'?: components['parameters']['kargoToken'];
      };
      path: {
        /** @description A Kargo instance named in kargo.instances. */
        instance: components['parameters']['instance'];
        project: components['parameters']['project'];
        name: components['schemas']['ObjectName'];
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['RepoCredentialsUpdate'];
      };
    };
    responses: {
      /** @description The credentials as stored, without the password. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['RepoCredentials'];
        };
      };
      default: components['responses']['Error'];
    };
  };
  DeleteRepoCredentials: {
    parameters: {
      query?: never;
      header?: {
        /** @description The user's own Kargo token, for instances configured with forwardUserToken only. */
        'x-kargo-token'?: components['parameters']['kargoToken'];
      };
      path: {
        /** @description A Kargo instance named in kargo.instances. */
        instance: components['parameters']['instance'];
        project: components['parameters']['project'];
        name: components['schemas']['ObjectName'];
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      204: components['responses']['NoContent'];
      default: components['responses']['Error'];
    };
  };
  UpdateWarehouse: {
    parameters: {
      query?: never;
      header?: {
        /** @description The user's own Kargo token, for instances configured with forwardUserToken only. */
        'x-kargo-token'?: components['parameters']['kargoToken'];
      };
      path: {
        /** @description A Kargo instance named in kargo.instances. */
        instance: components['parameters']['instance'];
        project: components['parameters']['project'];
        warehouse: components['parameters']['warehouse'];
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          subscriptions: {
            [key: string]: unknown;
          }[];
        } & {
          [key: string]: unknown;
        };
      };
    };
    responses: {
      /** @description The Warehouse as Kargo answers it. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['KargoObject'];
        };
      };
      default: components['responses']['Error'];
    };
  };
  AssembleFreight: {
    parameters: {
      query?: never;
      header?: {
        /** @description The user's own Kargo token, for instances configured with forwardUserToken only. */
        'x-kargo-token'?: components['parameters']['kargoToken'];
      };
      path: {
        /** @description A Kargo instance named in kargo.instances. */
        instance: components['parameters']['instance'];
        project: components['parameters']['project'];
        warehouse: components['parameters']['warehouse'];
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          images?: {
            repoURL: string;
            tag: string;
          }[];
          commits?: {
            repoURL: string;
            id: string;
          }[];
          charts?: {
            repoURL: string;
            name?: string;
            version: string;
          }[];
        };
      };
    };
    responses: {
      /** @description The Freight created. */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['KargoObject'];
        };
      };
      default: components['responses']['Error'];
    };
  };
  ListApprovalPolicies: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description A Kargo instance named in kargo.instances. */
        instance: components['parameters']['instance'];
        project: components['parameters']['project'];
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Policies, and per stage the policies that select it. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: components['schemas']['ApprovalPolicyView'][];
            stages: {
              [key: string]: string[];
            };
          };
        };
      };
      default: components['responses']['Error'];
    };
  };
  CreateApprovalPolicy: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description A Kargo instance named in kargo.instances. */
        instance: components['parameters']['instance'];
        project: components['parameters']['project'];
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['ApprovalPolicy'];
      };
    };
    responses: {
      /** @description The policy as stored. */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApprovalPolicyView'];
        };
      };
      default: components['responses']['Error'];
    };
  };
  DeleteApprovalPolicy: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description A Kargo instance named in kargo.instances. */
        instance: components['parameters']['instance'];
        project: components['parameters']['project'];
        name: components['schemas']['ObjectName'];
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      204: components['responses']['NoContent'];
      default: components['responses']['Error'];
    };
  };
  ListApprovalRequests: {
    parameters: {
      query?: {
        stage?: components['schemas']['ObjectName'];
        state?: 'Pending' | 'Approved' | 'Rejected' | 'Expired';
      };
      header?: never;
      path: {
        /** @description A Kargo instance named in kargo.instances. */
        instance: components['parameters']['instance'];
        project: components['parameters']['project'];
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The requests. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: components['schemas']['ApprovalRequestView'][];
          };
        };
      };
      default: components['responses']['Error'];
    };
  };
  CreateApprovalRequest: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description A Kargo instance named in kargo.instances. */
        instance: components['parameters']['instance'];
        project: components['parameters']['project'];
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          stage: components['schemas']['ObjectName'];
          freight: string;
          comment?: string;
        };
      };
    };
    responses: {
      /** @description The request. */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApprovalRequestView'];
        };
      };
      default: components['responses']['Error'];
    };
  };
  VoteOnApprovalRequest: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description A Kargo instance named in kargo.instances. */
        instance: components['parameters']['instance'];
        project: components['parameters']['project'];
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          /** @enum {string} */
          decision: 'Approved' | 'Rejected';
          comment?: string;
        };
      };
    };
    responses: {
      /** @description The request with the vote counted. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApprovalRequestView'];
        };
      };
      default: components['responses']['Error'];
    };
  };
  ListLineStops: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The freezes. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: components['schemas']['LineStopView'][];
          };
        };
      };
      default: components['responses']['Error'];
    };
  };
  StartLineStop: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          instance?: string;
          reason: string;
        };
      };
    };
    responses: {
      /** @description The freeze. */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['LineStopView'];
        };
      };
      default: components['responses']['Error'];
    };
  };
  EndLineStop: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      204: components['responses']['NoContent'];
      default: components['responses']['Error'];
    };
  };
}
