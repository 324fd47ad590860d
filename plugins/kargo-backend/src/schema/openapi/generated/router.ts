/* eslint-disable */
// Generated from plugins/kargo-backend/src/schema/openapi.yaml by
// scripts/generate-openapi.js (yarn openapi:generate). Do not edit.
import { createValidatedOpenApiRouter } from '@backstage/backend-openapi-utils';

export const spec = {
  openapi: '3.0.3',
  info: {
    title: 'kargo',
    version: '1',
    description:
      "The Kargo backend plugin's API: the portal's one door to Kargo's API servers. Every route authenticates the caller (a Backstage user or service), authorizes it with the permission framework per resource it touches, and audits every change with the Backstage user. The Kargo token never appears in an answer. Errors are Backstage's error bodies.",
    license: {
      name: 'Apache-2.0',
    },
  },
  servers: [
    {
      url: '/',
    },
  ],
  components: {
    parameters: {
      instance: {
        name: 'instance',
        in: 'path',
        required: true,
        description: 'A Kargo instance named in kargo.instances.',
        schema: {
          type: 'string',
          minLength: 1,
          maxLength: 63,
        },
      },
      project: {
        name: 'project',
        in: 'path',
        required: true,
        schema: {
          $ref: '#/components/schemas/ObjectName',
        },
      },
      stage: {
        name: 'stage',
        in: 'path',
        required: true,
        schema: {
          $ref: '#/components/schemas/ObjectName',
        },
      },
      warehouse: {
        name: 'warehouse',
        in: 'path',
        required: true,
        schema: {
          $ref: '#/components/schemas/ObjectName',
        },
      },
      freight: {
        name: 'freight',
        in: 'path',
        required: true,
        description:
          "A freight's name or alias, as Kargo's `{freight-name-or-alias}`.",
        schema: {
          type: 'string',
          minLength: 1,
          maxLength: 253,
        },
      },
      idempotencyKey: {
        name: 'Idempotency-Key',
        in: 'header',
        required: false,
        description:
          'A retry with the same key gets the first answer (Idempotent-Replayed), never a second Promotion.',
        schema: {
          type: 'string',
          minLength: 8,
          maxLength: 128,
          pattern: '^[A-Za-z0-9._:-]+$',
        },
      },
      kargoToken: {
        name: 'x-kargo-token',
        in: 'header',
        required: false,
        description:
          "The user's own Kargo token, for instances configured with forwardUserToken only.",
        schema: {
          type: 'string',
          maxLength: 16384,
        },
      },
    },
    responses: {
      NoContent: {
        description: 'Done.',
      },
      Error: {
        description:
          "400 bad input, 401 not signed in, 403 not allowed (the permission and resources named), 404 no such resource, 409 the project's state refuses it (freeze, gate, not available, stale version), 503 Kargo could not be reached or its answer was lost.",
        content: {
          'application/json': {
            schema: {
              $ref: '#/components/schemas/Error',
            },
          },
        },
      },
    },
    schemas: {
      Error: {
        type: 'object',
        required: ['error'],
        properties: {
          error: {
            type: 'object',
            required: ['name', 'message'],
            properties: {
              name: {
                type: 'string',
              },
              message: {
                type: 'string',
              },
            },
            additionalProperties: true,
          },
          request: {
            type: 'object',
            additionalProperties: true,
          },
          response: {
            type: 'object',
            additionalProperties: true,
          },
        },
        additionalProperties: true,
      },
      ObjectName: {
        description:
          'A Kubernetes object name, as Kargo names stages, warehouses, freight and promotions.',
        type: 'string',
        minLength: 1,
        maxLength: 253,
        pattern: '^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$',
      },
      KargoObject: {
        description:
          "A Kargo resource as Kargo's API answers it (see Kargo's OpenAPI document).",
        type: 'object',
        additionalProperties: true,
      },
      KargoEntityView: {
        description:
          'Everything the Kargo tab shows for an entity (KargoEntityView in kargo-common).',
        type: 'object',
        required: ['entityRef', 'projects'],
        properties: {
          entityRef: {
            type: 'string',
          },
          stages: {
            type: 'array',
            items: {
              type: 'string',
            },
          },
          warehouses: {
            type: 'array',
            items: {
              type: 'string',
            },
          },
          projects: {
            type: 'array',
            items: {
              description:
                'A KargoProjectView, or a KargoProjectError for a project that failed.',
              type: 'object',
              required: ['instance', 'project'],
              properties: {
                instance: {
                  type: 'string',
                },
                project: {
                  type: 'string',
                },
              },
              additionalProperties: true,
            },
          },
          lineStops: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/LineStopView',
            },
          },
        },
        additionalProperties: false,
      },
      GateOutcome: {
        description:
          "One promotion gate's answer for freight going into a stage, and what the user can do about it.",
        type: 'object',
        required: [
          'gate',
          'stage',
          'result',
          'overridable',
          'needsConfirmation',
        ],
        properties: {
          gate: {
            type: 'string',
          },
          stage: {
            type: 'string',
          },
          result: {
            type: 'string',
            enum: ['allow', 'deny', 'confirm'],
          },
          reason: {
            type: 'string',
          },
          details: {
            type: 'object',
            additionalProperties: {
              type: 'string',
            },
          },
          overridable: {
            description:
              'A deny that a user holding overridePermission may override (name the gate in `override`).',
            type: 'boolean',
          },
          overridePermission: {
            type: 'string',
          },
          needsConfirmation: {
            description:
              'Passes once the user confirms the reason (name the gate in `confirm`).',
            type: 'boolean',
          },
        },
        additionalProperties: false,
      },
      PromoteRequest: {
        description:
          "Kargo's PromoteToStageRequest, minus origin; exactly one of freight or freightAlias.",
        type: 'object',
        properties: {
          freight: {
            $ref: '#/components/schemas/ObjectName',
          },
          freightAlias: {
            type: 'string',
            minLength: 1,
            maxLength: 63,
          },
          confirm: {
            description: 'Gates whose confirmation the user accepted.',
            type: 'array',
            maxItems: 20,
            items: {
              type: 'string',
              minLength: 1,
              maxLength: 100,
            },
          },
          override: {
            description:
              'Overridable gates whose deny the user overrides; each needs the permission its outcome names.',
            type: 'array',
            maxItems: 20,
            items: {
              type: 'string',
              minLength: 1,
              maxLength: 100,
            },
          },
          overrideFreeze: {
            description:
              'The same as override ["freeze"], as clients before `override` send it.',
            type: 'boolean',
          },
        },
        additionalProperties: false,
      },
      FreightMetadataInput: {
        type: 'object',
        required: ['version'],
        properties: {
          version: {
            type: 'integer',
            minimum: 0,
          },
          notes: {
            type: 'string',
          },
          links: {
            type: 'array',
            items: {
              type: 'object',
              required: ['title', 'url'],
              properties: {
                title: {
                  type: 'string',
                },
                url: {
                  type: 'string',
                },
              },
              additionalProperties: false,
            },
          },
          labels: {
            type: 'object',
            additionalProperties: {
              type: 'string',
            },
          },
          verdict: {
            type: 'object',
            nullable: true,
            required: ['value'],
            properties: {
              value: {
                type: 'string',
                enum: ['recommended', 'do-not-promote'],
              },
              reason: {
                type: 'string',
              },
            },
            additionalProperties: false,
          },
        },
        additionalProperties: false,
      },
      FreightMetadataView: {
        description:
          "The portal's metadata of one freight (FreightMetadataView in kargo-common).",
        type: 'object',
        required: ['freight', 'version'],
        properties: {
          freight: {
            type: 'string',
          },
          version: {
            type: 'integer',
          },
        },
        additionalProperties: true,
      },
      PromotionWindow: {
        type: 'object',
        required: ['name', 'kind', 'dtstart', 'dtend'],
        properties: {
          name: {
            $ref: '#/components/schemas/ObjectName',
          },
          kind: {
            type: 'string',
            enum: ['Allow', 'Deny'],
          },
          stageSelector: {
            type: 'object',
            properties: {
              name: {
                type: 'string',
                minLength: 1,
                maxLength: 253,
              },
              matchLabels: {
                type: 'object',
                additionalProperties: {
                  type: 'string',
                  maxLength: 63,
                },
              },
            },
            additionalProperties: false,
          },
          dtstart: {
            type: 'string',
            minLength: 1,
            maxLength: 40,
          },
          dtend: {
            type: 'string',
            minLength: 1,
            maxLength: 40,
          },
          rrule: {
            type: 'string',
            minLength: 1,
            maxLength: 500,
          },
          timeZone: {
            type: 'string',
            minLength: 1,
            maxLength: 64,
          },
          reason: {
            type: 'string',
            maxLength: 1000,
          },
        },
        additionalProperties: false,
      },
      PromotionWindowView: {
        type: 'object',
        required: ['name', 'kind'],
        properties: {
          name: {
            type: 'string',
          },
          kind: {
            type: 'string',
          },
          createdBy: {
            type: 'string',
          },
          createdAt: {
            type: 'string',
          },
        },
        additionalProperties: true,
      },
      RepoCredentials: {
        description:
          'What the portal shows of repository credentials; never the password.',
        type: 'object',
        required: ['name', 'type', 'repoUrl', 'repoUrlIsRegex'],
        properties: {
          name: {
            type: 'string',
          },
          type: {
            type: 'string',
          },
          repoUrl: {
            type: 'string',
          },
          repoUrlIsRegex: {
            type: 'boolean',
          },
          username: {
            type: 'string',
          },
          description: {
            type: 'string',
          },
        },
        additionalProperties: false,
      },
      RepoCredentialsCreate: {
        type: 'object',
        required: ['name', 'type', 'repoUrl', 'username', 'password'],
        properties: {
          name: {
            $ref: '#/components/schemas/ObjectName',
          },
          type: {
            type: 'string',
            enum: ['git', 'helm', 'image'],
          },
          repoUrl: {
            type: 'string',
            minLength: 1,
            maxLength: 2048,
          },
          repoUrlIsRegex: {
            type: 'boolean',
          },
          username: {
            type: 'string',
            minLength: 1,
            maxLength: 512,
          },
          password: {
            type: 'string',
            minLength: 1,
            maxLength: 8192,
          },
          description: {
            type: 'string',
            maxLength: 1000,
          },
        },
        additionalProperties: false,
      },
      RepoCredentialsUpdate: {
        description:
          'Every field but the name; a password left out keeps the stored one.',
        type: 'object',
        required: ['type', 'repoUrl', 'username'],
        properties: {
          type: {
            type: 'string',
            enum: ['git', 'helm', 'image'],
          },
          repoUrl: {
            type: 'string',
            minLength: 1,
            maxLength: 2048,
          },
          repoUrlIsRegex: {
            type: 'boolean',
          },
          username: {
            type: 'string',
            minLength: 1,
            maxLength: 512,
          },
          password: {
            type: 'string',
            minLength: 1,
            maxLength: 8192,
          },
          description: {
            type: 'string',
            maxLength: 1000,
          },
        },
        additionalProperties: false,
      },
      Subjects: {
        type: 'object',
        required: ['subjects'],
        properties: {
          subjects: {
            description:
              'Portal groups and users (entity refs); a bare name is a group.',
            type: 'array',
            minItems: 1,
            maxItems: 50,
            items: {
              type: 'string',
              minLength: 1,
              maxLength: 300,
            },
          },
        },
        additionalProperties: false,
      },
      ApprovalPolicy: {
        type: 'object',
        required: ['name', 'approvals', 'groups'],
        properties: {
          name: {
            $ref: '#/components/schemas/ObjectName',
          },
          stageSelector: {
            type: 'object',
            properties: {
              name: {
                type: 'string',
                minLength: 1,
                maxLength: 253,
              },
              matchLabels: {
                type: 'object',
                additionalProperties: {
                  type: 'string',
                  maxLength: 63,
                },
              },
            },
            additionalProperties: false,
          },
          approvals: {
            type: 'integer',
            minimum: 1,
            maximum: 10,
          },
          groups: {
            description:
              'Group entity refs whose members may approve; a bare name is a group of the default namespace.',
            type: 'array',
            minItems: 1,
            maxItems: 20,
            items: {
              type: 'string',
              minLength: 1,
              maxLength: 300,
            },
          },
          expiresAfter: {
            description:
              'A Go duration (e.g. 24h); an approval older than this no longer counts.',
            type: 'string',
            minLength: 2,
            maxLength: 20,
          },
        },
        additionalProperties: false,
      },
      ApprovalPolicyView: {
        type: 'object',
        required: ['name', 'approvals', 'groups', 'createdBy', 'createdAt'],
        properties: {
          name: {
            type: 'string',
          },
          stageSelector: {
            type: 'object',
            additionalProperties: true,
          },
          approvals: {
            type: 'integer',
          },
          groups: {
            type: 'array',
            items: {
              type: 'string',
            },
          },
          expiresAfter: {
            type: 'string',
          },
          createdBy: {
            type: 'string',
          },
          createdAt: {
            type: 'string',
          },
        },
        additionalProperties: false,
      },
      ApprovalRequestView: {
        type: 'object',
        required: [
          'id',
          'instance',
          'project',
          'stage',
          'freight',
          'requestedBy',
          'requestedAt',
          'votes',
          'state',
          'policies',
        ],
        properties: {
          id: {
            type: 'string',
          },
          instance: {
            type: 'string',
          },
          project: {
            type: 'string',
          },
          stage: {
            type: 'string',
          },
          freight: {
            type: 'string',
          },
          requestedBy: {
            type: 'string',
          },
          requestedAt: {
            type: 'string',
          },
          comment: {
            type: 'string',
          },
          votes: {
            type: 'array',
            items: {
              type: 'object',
              required: ['by', 'decision', 'at', 'asMemberOf'],
              properties: {
                by: {
                  type: 'string',
                },
                decision: {
                  type: 'string',
                  enum: ['Approved', 'Rejected'],
                },
                comment: {
                  type: 'string',
                },
                at: {
                  type: 'string',
                },
                asMemberOf: {
                  type: 'string',
                },
              },
              additionalProperties: false,
            },
          },
          state: {
            type: 'string',
            enum: ['Pending', 'Approved', 'Rejected', 'Expired'],
          },
          policies: {
            type: 'array',
            items: {
              type: 'object',
              required: ['policy', 'groups', 'required', 'counted'],
              properties: {
                policy: {
                  type: 'string',
                },
                groups: {
                  type: 'array',
                  items: {
                    type: 'string',
                  },
                },
                required: {
                  type: 'integer',
                },
                counted: {
                  type: 'integer',
                },
              },
              additionalProperties: false,
            },
          },
          expiresAt: {
            type: 'string',
          },
        },
        additionalProperties: false,
      },
      LineStopView: {
        type: 'object',
        required: ['id', 'reason', 'startedBy', 'startedAt'],
        properties: {
          id: {
            type: 'string',
          },
          instance: {
            type: 'string',
          },
          reason: {
            type: 'string',
          },
          startedBy: {
            type: 'string',
          },
          startedAt: {
            type: 'string',
          },
        },
        additionalProperties: false,
      },
    },
  },
  paths: {
    '/health': {
      get: {
        operationId: 'GetHealth',
        description:
          'Whether the plugin runs and which Kargo instances it knows; calls no Kargo. No token needed.',
        responses: {
          '200': {
            description: 'Running.',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['status', 'instances'],
                  properties: {
                    status: {
                      type: 'string',
                    },
                    instances: {
                      type: 'array',
                      items: {
                        type: 'string',
                      },
                    },
                  },
                  additionalProperties: false,
                },
              },
            },
          },
        },
      },
    },
    '/entity-view': {
      get: {
        operationId: 'GetEntityView',
        description:
          'Everything the Kargo tab shows for a catalog entity: one view per Kargo project it names. A project that fails (unreachable Kargo, not allowed) is reported in place; when all fail, the first failure is the answer.',
        parameters: [
          {
            name: 'entityRef',
            in: 'query',
            required: true,
            description:
              "e.g. component:default/guestbook (':' and '/' may stand unencoded).",
            allowReserved: true,
            schema: {
              type: 'string',
              minLength: 1,
              maxLength: 500,
            },
          },
          {
            name: 'freightLimit',
            in: 'query',
            schema: {
              type: 'integer',
              minimum: 1,
              maximum: 500,
            },
          },
          {
            name: 'promotionLimit',
            in: 'query',
            schema: {
              type: 'integer',
              minimum: 1,
              maximum: 500,
            },
          },
        ],
        responses: {
          '200': {
            description: "The entity's view.",
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/KargoEntityView',
                },
              },
            },
          },
          default: {
            $ref: '#/components/responses/Error',
          },
        },
      },
    },
    '/instances/{instance}/projects/{project}/stages/{stage}/gates': {
      get: {
        operationId: 'GetPromotionGates',
        description:
          'What each promotion gate says about freight going into the stage, before anyone promotes.',
        parameters: [
          {
            $ref: '#/components/parameters/instance',
          },
          {
            $ref: '#/components/parameters/project',
          },
          {
            $ref: '#/components/parameters/stage',
          },
          {
            name: 'freight',
            in: 'query',
            required: true,
            schema: {
              type: 'string',
              minLength: 1,
              maxLength: 253,
            },
          },
        ],
        responses: {
          '200': {
            description: "Every gate's outcome.",
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['items'],
                  properties: {
                    items: {
                      type: 'array',
                      items: {
                        $ref: '#/components/schemas/GateOutcome',
                      },
                    },
                  },
                  additionalProperties: false,
                },
              },
            },
          },
          default: {
            $ref: '#/components/responses/Error',
          },
        },
      },
    },
    '/instances/{instance}/projects/{project}/stages/{stage}/promotions': {
      post: {
        operationId: 'Promote',
        description:
          "Promotes freight into the stage (kargo.freight.promote on the stage), after the availability checks and the promotion gates. Kargo's answer: a Promotion, or a PromotionRequest for a stage that selects Targets (Kargo after v1.11.2).",
        parameters: [
          {
            $ref: '#/components/parameters/instance',
          },
          {
            $ref: '#/components/parameters/project',
          },
          {
            $ref: '#/components/parameters/stage',
          },
          {
            $ref: '#/components/parameters/idempotencyKey',
          },
          {
            $ref: '#/components/parameters/kargoToken',
          },
        ],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                $ref: '#/components/schemas/PromoteRequest',
              },
            },
          },
        },
        responses: {
          '201': {
            description: 'The Promotion (or PromotionRequest) Kargo created.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/KargoObject',
                },
              },
            },
          },
          default: {
            $ref: '#/components/responses/Error',
          },
        },
      },
    },
    '/instances/{instance}/projects/{project}/stages/{stage}/promotions/downstream':
      {
        post: {
          operationId: 'PromoteDownstream',
          description:
            'Promotes freight verified in the stage into every stage downstream of it (kargo.freight.promote on each).',
          parameters: [
            {
              $ref: '#/components/parameters/instance',
            },
            {
              $ref: '#/components/parameters/project',
            },
            {
              $ref: '#/components/parameters/stage',
            },
            {
              $ref: '#/components/parameters/idempotencyKey',
            },
            {
              $ref: '#/components/parameters/kargoToken',
            },
          ],
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/PromoteRequest',
                },
              },
            },
          },
          responses: {
            '201': {
              description: 'What Kargo created.',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    properties: {
                      promotions: {
                        type: 'array',
                        items: {
                          $ref: '#/components/schemas/KargoObject',
                        },
                      },
                      promotionRequests: {
                        type: 'array',
                        items: {
                          $ref: '#/components/schemas/KargoObject',
                        },
                      },
                    },
                    additionalProperties: true,
                  },
                },
              },
            },
            default: {
              $ref: '#/components/responses/Error',
            },
          },
        },
      },
    '/instances/{instance}/projects/{project}/freight/{freight}/approve': {
      post: {
        operationId: 'ApproveFreight',
        description:
          'Approves freight for a stage (kargo.freight.approve on the stage).',
        parameters: [
          {
            $ref: '#/components/parameters/instance',
          },
          {
            $ref: '#/components/parameters/project',
          },
          {
            $ref: '#/components/parameters/freight',
          },
          {
            $ref: '#/components/parameters/kargoToken',
          },
        ],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['stage'],
                properties: {
                  stage: {
                    $ref: '#/components/schemas/ObjectName',
                  },
                },
                additionalProperties: false,
              },
            },
          },
        },
        responses: {
          '204': {
            $ref: '#/components/responses/NoContent',
          },
          default: {
            $ref: '#/components/responses/Error',
          },
        },
      },
    },
    '/instances/{instance}/projects/{project}/freight/{freight}/alias': {
      patch: {
        operationId: 'UpdateFreightAlias',
        description:
          'Gives freight a new alias (kargo.freight.alias.update on the project).',
        parameters: [
          {
            $ref: '#/components/parameters/instance',
          },
          {
            $ref: '#/components/parameters/project',
          },
          {
            $ref: '#/components/parameters/freight',
          },
          {
            $ref: '#/components/parameters/kargoToken',
          },
        ],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['alias'],
                properties: {
                  alias: {
                    type: 'string',
                    minLength: 1,
                    maxLength: 63,
                  },
                },
                additionalProperties: false,
              },
            },
          },
        },
        responses: {
          '204': {
            $ref: '#/components/responses/NoContent',
          },
          default: {
            $ref: '#/components/responses/Error',
          },
        },
      },
    },
    '/instances/{instance}/projects/{project}/promotions/{promotion}/abort': {
      post: {
        operationId: 'AbortPromotion',
        description:
          'Aborts a running promotion (kargo.promotion.abort on its stage).',
        parameters: [
          {
            $ref: '#/components/parameters/instance',
          },
          {
            $ref: '#/components/parameters/project',
          },
          {
            name: 'promotion',
            in: 'path',
            required: true,
            schema: {
              $ref: '#/components/schemas/ObjectName',
            },
          },
          {
            $ref: '#/components/parameters/kargoToken',
          },
        ],
        responses: {
          '204': {
            $ref: '#/components/responses/NoContent',
          },
          default: {
            $ref: '#/components/responses/Error',
          },
        },
      },
    },
    '/instances/{instance}/projects/{project}/stages/{stage}/refresh': {
      post: {
        operationId: 'RefreshStage',
        parameters: [
          {
            $ref: '#/components/parameters/instance',
          },
          {
            $ref: '#/components/parameters/project',
          },
          {
            $ref: '#/components/parameters/stage',
          },
          {
            $ref: '#/components/parameters/kargoToken',
          },
        ],
        responses: {
          '204': {
            $ref: '#/components/responses/NoContent',
          },
          default: {
            $ref: '#/components/responses/Error',
          },
        },
      },
    },
    '/instances/{instance}/projects/{project}/warehouses/{warehouse}/refresh': {
      post: {
        operationId: 'RefreshWarehouse',
        parameters: [
          {
            $ref: '#/components/parameters/instance',
          },
          {
            $ref: '#/components/parameters/project',
          },
          {
            $ref: '#/components/parameters/warehouse',
          },
          {
            $ref: '#/components/parameters/kargoToken',
          },
        ],
        responses: {
          '204': {
            $ref: '#/components/responses/NoContent',
          },
          default: {
            $ref: '#/components/responses/Error',
          },
        },
      },
    },
    '/instances/{instance}/projects/{project}/stages/{stage}/verification': {
      post: {
        operationId: 'Reverify',
        description:
          "Verifies the stage's current freight again (kargo.stage.reverify on the stage).",
        parameters: [
          {
            $ref: '#/components/parameters/instance',
          },
          {
            $ref: '#/components/parameters/project',
          },
          {
            $ref: '#/components/parameters/stage',
          },
          {
            $ref: '#/components/parameters/kargoToken',
          },
        ],
        responses: {
          '204': {
            $ref: '#/components/responses/NoContent',
          },
          default: {
            $ref: '#/components/responses/Error',
          },
        },
      },
    },
    '/instances/{instance}/projects/{project}/stages/{stage}/verification/abort':
      {
        post: {
          operationId: 'AbortVerification',
          parameters: [
            {
              $ref: '#/components/parameters/instance',
            },
            {
              $ref: '#/components/parameters/project',
            },
            {
              $ref: '#/components/parameters/stage',
            },
            {
              $ref: '#/components/parameters/kargoToken',
            },
          ],
          responses: {
            '204': {
              $ref: '#/components/responses/NoContent',
            },
            default: {
              $ref: '#/components/responses/Error',
            },
          },
        },
      },
    '/instances/{instance}/projects/{project}/freight-metadata': {
      get: {
        operationId: 'GetFreightMetadata',
        description:
          "The portal's metadata of up to 1 000 freight, in one query.",
        parameters: [
          {
            $ref: '#/components/parameters/instance',
          },
          {
            $ref: '#/components/parameters/project',
          },
          {
            name: 'freight',
            in: 'query',
            required: true,
            style: 'form',
            explode: true,
            schema: {
              type: 'array',
              minItems: 1,
              maxItems: 1000,
              items: {
                type: 'string',
                minLength: 1,
                maxLength: 253,
              },
            },
          },
        ],
        responses: {
          '200': {
            description: 'The metadata found.',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['items'],
                  properties: {
                    items: {
                      type: 'array',
                      items: {
                        $ref: '#/components/schemas/FreightMetadataView',
                      },
                    },
                  },
                  additionalProperties: false,
                },
              },
            },
          },
          default: {
            $ref: '#/components/responses/Error',
          },
        },
      },
    },
    '/instances/{instance}/projects/{project}/freight/{freight}/metadata': {
      put: {
        operationId: 'UpdateFreightMetadata',
        description:
          "Writes the portal's metadata of freight over `version`; 409 when someone wrote since.",
        parameters: [
          {
            $ref: '#/components/parameters/instance',
          },
          {
            $ref: '#/components/parameters/project',
          },
          {
            $ref: '#/components/parameters/freight',
          },
        ],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                $ref: '#/components/schemas/FreightMetadataInput',
              },
            },
          },
        },
        responses: {
          '200': {
            description: 'The metadata as stored.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/FreightMetadataView',
                },
              },
            },
          },
          default: {
            $ref: '#/components/responses/Error',
          },
        },
      },
    },
    '/instances/{instance}/projects/{project}/freight/{freight}/metadata/history':
      {
        get: {
          operationId: 'GetFreightMetadataHistory',
          parameters: [
            {
              $ref: '#/components/parameters/instance',
            },
            {
              $ref: '#/components/parameters/project',
            },
            {
              $ref: '#/components/parameters/freight',
            },
          ],
          responses: {
            '200': {
              description: 'Who wrote what, newest first.',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    required: ['items'],
                    properties: {
                      items: {
                        type: 'array',
                        items: {
                          type: 'object',
                          additionalProperties: true,
                        },
                      },
                    },
                    additionalProperties: false,
                  },
                },
              },
            },
            default: {
              $ref: '#/components/responses/Error',
            },
          },
        },
      },
    '/instances/{instance}/projects/{project}/promotion-windows': {
      get: {
        operationId: 'ListPromotionWindows',
        description:
          "The project's freeze (promotion) windows and each stage's state now.",
        parameters: [
          {
            $ref: '#/components/parameters/instance',
          },
          {
            $ref: '#/components/parameters/project',
          },
        ],
        responses: {
          '200': {
            description: 'Windows and states.',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['items', 'stages'],
                  properties: {
                    items: {
                      type: 'array',
                      items: {
                        $ref: '#/components/schemas/PromotionWindowView',
                      },
                    },
                    stages: {
                      type: 'object',
                      additionalProperties: {
                        type: 'object',
                        additionalProperties: true,
                      },
                    },
                  },
                  additionalProperties: false,
                },
              },
            },
          },
          default: {
            $ref: '#/components/responses/Error',
          },
        },
      },
      post: {
        operationId: 'CreatePromotionWindow',
        description:
          'Creates a window (kargo.freeze.manage, and kargo.stage.manage on each stage it selects).',
        parameters: [
          {
            $ref: '#/components/parameters/instance',
          },
          {
            $ref: '#/components/parameters/project',
          },
        ],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                $ref: '#/components/schemas/PromotionWindow',
              },
            },
          },
        },
        responses: {
          '201': {
            description: 'The window as stored.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/PromotionWindowView',
                },
              },
            },
          },
          default: {
            $ref: '#/components/responses/Error',
          },
        },
      },
    },
    '/instances/{instance}/projects/{project}/promotion-windows/{name}': {
      delete: {
        operationId: 'DeletePromotionWindow',
        parameters: [
          {
            $ref: '#/components/parameters/instance',
          },
          {
            $ref: '#/components/parameters/project',
          },
          {
            name: 'name',
            in: 'path',
            required: true,
            schema: {
              $ref: '#/components/schemas/ObjectName',
            },
          },
        ],
        responses: {
          '204': {
            $ref: '#/components/responses/NoContent',
          },
          default: {
            $ref: '#/components/responses/Error',
          },
        },
      },
    },
    '/instances/{instance}/projects/{project}/settings': {
      get: {
        operationId: 'GetProjectSettings',
        description:
          'Roles with their claims, auto-promotion per stage, warehouses and credentials (kargo.project.settings.read).',
        parameters: [
          {
            $ref: '#/components/parameters/instance',
          },
          {
            $ref: '#/components/parameters/project',
          },
        ],
        responses: {
          '200': {
            description: 'The settings (KargoProjectSettings in kargo-common).',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: [
                    'instance',
                    'project',
                    'roles',
                    'stages',
                    'warehouses',
                    'credentials',
                  ],
                  properties: {
                    instance: {
                      type: 'string',
                    },
                    project: {
                      type: 'string',
                    },
                    roles: {
                      type: 'array',
                      items: {
                        type: 'object',
                        additionalProperties: true,
                      },
                    },
                    stages: {
                      type: 'array',
                      items: {
                        type: 'object',
                        additionalProperties: true,
                      },
                    },
                    warehouses: {
                      type: 'array',
                      items: {
                        type: 'object',
                        additionalProperties: true,
                      },
                    },
                    credentials: {
                      type: 'array',
                      items: {
                        $ref: '#/components/schemas/RepoCredentials',
                      },
                    },
                  },
                  additionalProperties: true,
                },
              },
            },
          },
          default: {
            $ref: '#/components/responses/Error',
          },
        },
      },
    },
    '/instances/{instance}/projects/{project}/settings/roles/{role}/grants': {
      post: {
        operationId: 'GrantRole',
        description:
          'Grants a Kargo role to portal groups and users, as the OIDC claims Kargo matches.',
        parameters: [
          {
            $ref: '#/components/parameters/instance',
          },
          {
            $ref: '#/components/parameters/project',
          },
          {
            name: 'role',
            in: 'path',
            required: true,
            schema: {
              type: 'string',
              maxLength: 63,
              pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$',
            },
          },
          {
            $ref: '#/components/parameters/kargoToken',
          },
        ],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                $ref: '#/components/schemas/Subjects',
              },
            },
          },
        },
        responses: {
          '200': {
            description: 'The role as Kargo answers it.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/KargoObject',
                },
              },
            },
          },
          default: {
            $ref: '#/components/responses/Error',
          },
        },
      },
    },
    '/instances/{instance}/projects/{project}/settings/roles/{role}/revocations':
      {
        post: {
          operationId: 'RevokeRole',
          parameters: [
            {
              $ref: '#/components/parameters/instance',
            },
            {
              $ref: '#/components/parameters/project',
            },
            {
              name: 'role',
              in: 'path',
              required: true,
              schema: {
                type: 'string',
                maxLength: 63,
                pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$',
              },
            },
            {
              $ref: '#/components/parameters/kargoToken',
            },
          ],
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/Subjects',
                },
              },
            },
          },
          responses: {
            '200': {
              description: 'The role as Kargo answers it.',
              content: {
                'application/json': {
                  schema: {
                    $ref: '#/components/schemas/KargoObject',
                  },
                },
              },
            },
            default: {
              $ref: '#/components/responses/Error',
            },
          },
        },
      },
    '/instances/{instance}/projects/{project}/settings/stages/{stage}/auto-promotion':
      {
        put: {
          operationId: 'SetAutoPromotion',
          parameters: [
            {
              $ref: '#/components/parameters/instance',
            },
            {
              $ref: '#/components/parameters/project',
            },
            {
              $ref: '#/components/parameters/stage',
            },
            {
              $ref: '#/components/parameters/kargoToken',
            },
          ],
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['enabled'],
                  properties: {
                    enabled: {
                      type: 'boolean',
                    },
                  },
                  additionalProperties: false,
                },
              },
            },
          },
          responses: {
            '200': {
              description:
                'Whether auto-promotion is on, and whether a freeze holds it off for now.',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    required: ['autoPromotionEnabled', 'heldByFreeze'],
                    properties: {
                      autoPromotionEnabled: {
                        type: 'boolean',
                      },
                      heldByFreeze: {
                        type: 'boolean',
                      },
                    },
                    additionalProperties: false,
                  },
                },
              },
            },
            default: {
              $ref: '#/components/responses/Error',
            },
          },
        },
      },
    '/instances/{instance}/projects/{project}/settings/credentials': {
      get: {
        operationId: 'ListRepoCredentials',
        parameters: [
          {
            $ref: '#/components/parameters/instance',
          },
          {
            $ref: '#/components/parameters/project',
          },
        ],
        responses: {
          '200': {
            description:
              "The project's repository credentials, without passwords.",
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['items'],
                  properties: {
                    items: {
                      type: 'array',
                      items: {
                        $ref: '#/components/schemas/RepoCredentials',
                      },
                    },
                  },
                  additionalProperties: false,
                },
              },
            },
          },
          default: {
            $ref: '#/components/responses/Error',
          },
        },
      },
      post: {
        operationId: 'CreateRepoCredentials',
        parameters: [
          {
            $ref: '#/components/parameters/instance',
          },
          {
            $ref: '#/components/parameters/project',
          },
          {
            $ref: '#/components/parameters/kargoToken',
          },
        ],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                $ref: '#/components/schemas/RepoCredentialsCreate',
              },
            },
          },
        },
        responses: {
          '201': {
            description: 'The credentials as stored, without the password.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/RepoCredentials',
                },
              },
            },
          },
          default: {
            $ref: '#/components/responses/Error',
          },
        },
      },
    },
    '/instances/{instance}/projects/{project}/settings/credentials/{name}': {
      put: {
        operationId: 'UpdateRepoCredentials',
        description:
          'Replaces every field; a password left out keeps the stored one.',
        parameters: [
          {
            $ref: '#/components/parameters/instance',
          },
          {
            $ref: '#/components/parameters/project',
          },
          {
            name: 'name',
            in: 'path',
            required: true,
            schema: {
              $ref: '#/components/schemas/ObjectName',
            },
          },
          {
            $ref: '#/components/parameters/kargoToken',
          },
        ],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                $ref: '#/components/schemas/RepoCredentialsUpdate',
              },
            },
          },
        },
        responses: {
          '200': {
            description: 'The credentials as stored, without the password.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/RepoCredentials',
                },
              },
            },
          },
          default: {
            $ref: '#/components/responses/Error',
          },
        },
      },
      delete: {
        operationId: 'DeleteRepoCredentials',
        parameters: [
          {
            $ref: '#/components/parameters/instance',
          },
          {
            $ref: '#/components/parameters/project',
          },
          {
            name: 'name',
            in: 'path',
            required: true,
            schema: {
              $ref: '#/components/schemas/ObjectName',
            },
          },
          {
            $ref: '#/components/parameters/kargoToken',
          },
        ],
        responses: {
          '204': {
            $ref: '#/components/responses/NoContent',
          },
          default: {
            $ref: '#/components/responses/Error',
          },
        },
      },
    },
    '/instances/{instance}/projects/{project}/settings/warehouses/{warehouse}':
      {
        put: {
          operationId: 'UpdateWarehouse',
          description:
            "Replaces a warehouse's spec (subscriptions, filters, interval, freight creation).",
          parameters: [
            {
              $ref: '#/components/parameters/instance',
            },
            {
              $ref: '#/components/parameters/project',
            },
            {
              $ref: '#/components/parameters/warehouse',
            },
            {
              $ref: '#/components/parameters/kargoToken',
            },
          ],
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: {
                  description:
                    "Kargo's WarehouseSpec; checked field by field by the backend.",
                  type: 'object',
                  required: ['subscriptions'],
                  properties: {
                    subscriptions: {
                      type: 'array',
                      items: {
                        type: 'object',
                        additionalProperties: true,
                      },
                    },
                  },
                  additionalProperties: true,
                },
              },
            },
          },
          responses: {
            '200': {
              description: 'The Warehouse as Kargo answers it.',
              content: {
                'application/json': {
                  schema: {
                    $ref: '#/components/schemas/KargoObject',
                  },
                },
              },
            },
            default: {
              $ref: '#/components/responses/Error',
            },
          },
        },
      },
    '/instances/{instance}/projects/{project}/settings/warehouses/{warehouse}/freight':
      {
        post: {
          operationId: 'AssembleFreight',
          description:
            'Creates freight from artifacts a Manual warehouse discovered.',
          parameters: [
            {
              $ref: '#/components/parameters/instance',
            },
            {
              $ref: '#/components/parameters/project',
            },
            {
              $ref: '#/components/parameters/warehouse',
            },
            {
              $ref: '#/components/parameters/kargoToken',
            },
          ],
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: {
                    images: {
                      type: 'array',
                      items: {
                        type: 'object',
                        required: ['repoURL', 'tag'],
                        properties: {
                          repoURL: {
                            type: 'string',
                          },
                          tag: {
                            type: 'string',
                          },
                        },
                        additionalProperties: false,
                      },
                    },
                    commits: {
                      type: 'array',
                      items: {
                        type: 'object',
                        required: ['repoURL', 'id'],
                        properties: {
                          repoURL: {
                            type: 'string',
                          },
                          id: {
                            type: 'string',
                          },
                        },
                        additionalProperties: false,
                      },
                    },
                    charts: {
                      type: 'array',
                      items: {
                        type: 'object',
                        required: ['repoURL', 'version'],
                        properties: {
                          repoURL: {
                            type: 'string',
                          },
                          name: {
                            type: 'string',
                          },
                          version: {
                            type: 'string',
                          },
                        },
                        additionalProperties: false,
                      },
                    },
                  },
                  additionalProperties: false,
                },
              },
            },
          },
          responses: {
            '201': {
              description: 'The Freight created.',
              content: {
                'application/json': {
                  schema: {
                    $ref: '#/components/schemas/KargoObject',
                  },
                },
              },
            },
            default: {
              $ref: '#/components/responses/Error',
            },
          },
        },
      },
    '/instances/{instance}/projects/{project}/approval-policies': {
      get: {
        operationId: 'ListApprovalPolicies',
        description:
          "The project's approval policies and the stages each selects (kargo.project.read).",
        parameters: [
          {
            $ref: '#/components/parameters/instance',
          },
          {
            $ref: '#/components/parameters/project',
          },
        ],
        responses: {
          '200': {
            description: 'Policies, and per stage the policies that select it.',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['items', 'stages'],
                  properties: {
                    items: {
                      type: 'array',
                      items: {
                        $ref: '#/components/schemas/ApprovalPolicyView',
                      },
                    },
                    stages: {
                      type: 'object',
                      additionalProperties: {
                        type: 'array',
                        items: {
                          type: 'string',
                        },
                      },
                    },
                  },
                  additionalProperties: false,
                },
              },
            },
          },
          default: {
            $ref: '#/components/responses/Error',
          },
        },
      },
      post: {
        operationId: 'CreateApprovalPolicy',
        description:
          'Creates a policy (kargo.project.manage, and kargo.stage.manage on each stage it selects).',
        parameters: [
          {
            $ref: '#/components/parameters/instance',
          },
          {
            $ref: '#/components/parameters/project',
          },
        ],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                $ref: '#/components/schemas/ApprovalPolicy',
              },
            },
          },
        },
        responses: {
          '201': {
            description: 'The policy as stored.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/ApprovalPolicyView',
                },
              },
            },
          },
          default: {
            $ref: '#/components/responses/Error',
          },
        },
      },
    },
    '/instances/{instance}/projects/{project}/approval-policies/{name}': {
      delete: {
        operationId: 'DeleteApprovalPolicy',
        description:
          'Ends a policy (kargo.project.manage, and kargo.stage.manage on each stage it selects).',
        parameters: [
          {
            $ref: '#/components/parameters/instance',
          },
          {
            $ref: '#/components/parameters/project',
          },
          {
            name: 'name',
            in: 'path',
            required: true,
            schema: {
              $ref: '#/components/schemas/ObjectName',
            },
          },
        ],
        responses: {
          '204': {
            $ref: '#/components/responses/NoContent',
          },
          default: {
            $ref: '#/components/responses/Error',
          },
        },
      },
    },
    '/instances/{instance}/projects/{project}/approval-requests': {
      get: {
        operationId: 'ListApprovalRequests',
        description:
          'Approval requests of the project, newest first (kargo.project.read).',
        parameters: [
          {
            $ref: '#/components/parameters/instance',
          },
          {
            $ref: '#/components/parameters/project',
          },
          {
            name: 'stage',
            in: 'query',
            required: false,
            schema: {
              $ref: '#/components/schemas/ObjectName',
            },
          },
          {
            name: 'state',
            in: 'query',
            required: false,
            schema: {
              type: 'string',
              enum: ['Pending', 'Approved', 'Rejected', 'Expired'],
            },
          },
        ],
        responses: {
          '200': {
            description: 'The requests.',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['items'],
                  properties: {
                    items: {
                      type: 'array',
                      items: {
                        $ref: '#/components/schemas/ApprovalRequestView',
                      },
                    },
                  },
                  additionalProperties: false,
                },
              },
            },
          },
          default: {
            $ref: '#/components/responses/Error',
          },
        },
      },
      post: {
        operationId: 'CreateApprovalRequest',
        description:
          'Asks for approval to promote a freight into a stage that an approval policy selects (kargo.freight.promote on the stage). The approvers are notified.',
        parameters: [
          {
            $ref: '#/components/parameters/instance',
          },
          {
            $ref: '#/components/parameters/project',
          },
        ],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['stage', 'freight'],
                properties: {
                  stage: {
                    $ref: '#/components/schemas/ObjectName',
                  },
                  freight: {
                    type: 'string',
                    minLength: 1,
                    maxLength: 253,
                  },
                  comment: {
                    type: 'string',
                    maxLength: 2000,
                  },
                },
                additionalProperties: false,
              },
            },
          },
        },
        responses: {
          '201': {
            description: 'The request.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/ApprovalRequestView',
                },
              },
            },
          },
          default: {
            $ref: '#/components/responses/Error',
          },
        },
      },
    },
    '/instances/{instance}/projects/{project}/approval-requests/{id}/votes': {
      post: {
        operationId: 'VoteOnApprovalRequest',
        description:
          'Approves or rejects a pending request: the caller must be a member of a group a policy names, and not its requester. Each approver counts once. The requester is notified.',
        parameters: [
          {
            $ref: '#/components/parameters/instance',
          },
          {
            $ref: '#/components/parameters/project',
          },
          {
            name: 'id',
            in: 'path',
            required: true,
            schema: {
              type: 'string',
              pattern: '^[0-9a-f-]{36}$',
            },
          },
        ],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['decision'],
                properties: {
                  decision: {
                    type: 'string',
                    enum: ['Approved', 'Rejected'],
                  },
                  comment: {
                    type: 'string',
                    maxLength: 2000,
                  },
                },
                additionalProperties: false,
              },
            },
          },
        },
        responses: {
          '200': {
            description: 'The request with the vote counted.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/ApprovalRequestView',
                },
              },
            },
          },
          default: {
            $ref: '#/components/responses/Error',
          },
        },
      },
    },
    '/line-stops': {
      get: {
        operationId: 'ListLineStops',
        description: 'Stop-the-line freezes in force (any signed-in user).',
        responses: {
          '200': {
            description: 'The freezes.',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['items'],
                  properties: {
                    items: {
                      type: 'array',
                      items: {
                        $ref: '#/components/schemas/LineStopView',
                      },
                    },
                  },
                  additionalProperties: false,
                },
              },
            },
          },
          default: {
            $ref: '#/components/responses/Error',
          },
        },
      },
      post: {
        operationId: 'StartLineStop',
        description:
          'Closes every stage of every project, portal-wide or of one instance, until ended (kargo.line.stop). Auto-promotion is held everywhere meanwhile.',
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['reason'],
                properties: {
                  instance: {
                    type: 'string',
                    minLength: 1,
                    maxLength: 63,
                  },
                  reason: {
                    type: 'string',
                    minLength: 1,
                    maxLength: 1000,
                  },
                },
                additionalProperties: false,
              },
            },
          },
        },
        responses: {
          '201': {
            description: 'The freeze.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/LineStopView',
                },
              },
            },
          },
          default: {
            $ref: '#/components/responses/Error',
          },
        },
      },
    },
    '/line-stops/{id}': {
      delete: {
        operationId: 'EndLineStop',
        description: 'Ends a stop-the-line freeze (kargo.line.stop).',
        parameters: [
          {
            name: 'id',
            in: 'path',
            required: true,
            schema: {
              type: 'string',
              pattern: '^[0-9a-f-]{36}$',
            },
          },
        ],
        responses: {
          '204': {
            $ref: '#/components/responses/NoContent',
          },
          default: {
            $ref: '#/components/responses/Error',
          },
        },
      },
    },
  },
} as const;

export const createOpenApiRouter = async (
  options?: Parameters<typeof createValidatedOpenApiRouter>['1'],
) => createValidatedOpenApiRouter<typeof spec>(spec, options);
