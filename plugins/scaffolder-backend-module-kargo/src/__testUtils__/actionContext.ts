import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import {
  AuthorizePermissionRequest,
  AuthorizeResult,
} from '@backstage/plugin-permission-common';

/**
 * An action context as the scaffolder hands it to an action (the parts the Kargo actions use):
 * the outputs it received, the task secrets, the initiator (dana by default) and dry run, which
 * createMockActionContext from @backstage/plugin-scaffolder-node-test-utils does not take.
 */
export function actionContext(
  input: Record<string, unknown>,
  options: {
    isDryRun?: boolean;
    secrets?: Record<string, string>;
    user?: string;
    credentials?: BackstageCredentials;
    taskId?: string;
  } = {},
) {
  const outputs: Record<string, unknown> = {};
  const logger = mockServices.logger.mock();
  return {
    outputs,
    logger,
    ctx: {
      input,
      isDryRun: options.isDryRun ?? false,
      secrets: options.secrets,
      output: (name: string, value: unknown) => {
        outputs[name] = value;
      },
      logger,
      workspacePath: '/tmp',
      task: { id: options.taskId ?? 'task-1' },
      createTemporaryDirectory: async () => '/tmp',
      checkpoint: async ({ fn }: { fn: () => unknown }) => fn(),
      getInitiatorCredentials: async () =>
        options.credentials ??
        mockCredentials.user(options.user ?? 'user:default/dana'),
    } as any,
  };
}

/** One permission request as the fake saw it. */
export interface SeenRequest {
  permission: string;
  resourceRef?: string;
  user?: string;
}

/**
 * A permissions service that allows everything except the listed permissions (on the listed
 * resourceRefs only, when given), and records what it was asked and for whom.
 */
export function denying(
  ...denials: Array<{ permission: string; resourceRef?: string; user?: string }>
): PermissionsService & { seen: SeenRequest[] } {
  const seen: SeenRequest[] = [];
  return {
    seen,
    async authorize(requests: AuthorizePermissionRequest[], options: any) {
      const user = options?.credentials?.principal?.userEntityRef;
      return requests.map(r => {
        seen.push({
          permission: r.permission.name,
          resourceRef: r.resourceRef,
          user,
        });
        const denied = denials.some(
          d =>
            d.permission === r.permission.name &&
            (!d.resourceRef || d.resourceRef === r.resourceRef) &&
            (!d.user || d.user === user),
        );
        return {
          result: denied ? AuthorizeResult.DENY : AuthorizeResult.ALLOW,
        };
      });
    },
    async authorizeConditional() {
      throw new Error('not used by the Kargo actions');
    },
  } as any;
}

/** Allows everything, recording what it was asked. */
export const allowing = () => denying();
