import { AuditorService } from '@backstage/backend-plugin-api';
import { JsonObject } from '@backstage/types';
import { ActionContext } from '@backstage/plugin-scaffolder-node';

/**
 * Runs an action's Kargo calls inside an auditor event naming the user who started the
 * template, so scaffolder changes to Kargo are as traceable as the portal's.
 */
export async function audited<T>(
  auditor: AuditorService,
  ctx: ActionContext<any, any, any>,
  eventId: string,
  meta: JsonObject,
  work: () => Promise<T>,
): Promise<T> {
  const credentials = await ctx.getInitiatorCredentials();
  const principal = credentials.principal as {
    userEntityRef?: string;
    subject?: string;
  };
  const event = await auditor.createEvent({
    eventId,
    severityLevel: 'medium',
    meta: {
      ...meta,
      initiator: principal.userEntityRef ?? principal.subject ?? 'unknown',
      taskId: ctx.task?.id ?? null,
      dryRun: Boolean(ctx.isDryRun),
    },
  });
  try {
    const result = await work();
    await event.success();
    return result;
  } catch (error) {
    await event.fail({ error: error as Error });
    throw error;
  }
}
