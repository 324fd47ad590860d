import {
  AuditorService,
  BackstageCredentials,
  BackstageServicePrincipal,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  kargoLineStopPermission,
  kargoProjectReadPermission,
  type LineStopView,
} from '@kargo-backstage/plugin-kargo-common';
import {
  authorizeKargo,
  type KargoInstances,
} from '@kargo-backstage/plugin-kargo-node';
import type express from 'express';
import { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import { z } from 'zod/v3';
import { actorOf } from '../operations/operation';
import { KargoNotifier, KARGO_TOPICS } from '../notifications/KargoNotifier';
import { parse } from '../operations/schemas';

const startInput = z
  .object({
    instance: z.string().min(1).max(63).optional(),
    reason: z.string().trim().min(1).max(1000),
  })
  .strict();

const stopId = z.string().regex(/^[0-9a-f-]{36}$/, 'must be a line stop id');

type Row = {
  id: string;
  instance: string | null;
  reason: string;
  started_by: string;
  started_at: string;
};

const viewOf = (r: Row): LineStopView => ({
  id: r.id,
  ...(r.instance ? { instance: r.instance } : {}),
  reason: r.reason,
  startedBy: r.started_by,
  startedAt: r.started_at,
});

export interface LineStopsOptions {
  db: Knex;
  permissions: PermissionsService;
  auditor: AuditorService;
  instances: KargoInstances;
  /** After a start or an end: views, freeze state and open pages change everywhere. */
  onChange(): Promise<void>;
  /** Everyone hears of a start and an end (a broadcast notification). */
  notifier?: KargoNotifier;
  now?: () => Date;
}

/**
 * Stop the line: a freeze of every stage of every project, portal-wide or of one Kargo instance,
 * until someone holding kargo.line.stop ends it. It closes stages as a promotion window does
 * (see DatabaseKargoStore.listPromotionWindows), so the freeze gate, its override and the
 * auto-promotion hold apply unchanged. Kept in the database: every replica sees it.
 */
export class LineStops {
  private readonly now: () => Date;

  constructor(private readonly options: LineStopsOptions) {
    this.now = options.now ?? (() => new Date());
  }

  /** The stops in force; of one instance: those of that instance and the portal-wide ones. */
  async active(instance?: string): Promise<LineStopView[]> {
    const query = this.options
      .db<Row>('kargo_line_stops')
      .whereNull('ended_at')
      .orderBy('started_at');
    if (instance) {
      query.andWhere(q => q.whereNull('instance').orWhere({ instance }));
    }
    return (await query).map(viewOf);
  }

  /**
   * The stops in force, for anyone signed in (every Kargo tab shows them); a service principal
   * needs kargo.project.read in its restrictions, as for every other Kargo read.
   */
  async list(credentials: BackstageCredentials): Promise<LineStopView[]> {
    const principal =
      credentials.principal as Partial<BackstageServicePrincipal>;
    if (
      principal.type === 'service' &&
      !principal.accessRestrictions?.permissionNames?.includes(
        kargoProjectReadPermission.name,
      )
    ) {
      throw new NotAllowedError(
        `Not allowed: ${kargoProjectReadPermission.name}`,
      );
    }
    return this.active();
  }

  async start(
    credentials: BackstageCredentials,
    body: unknown,
    request?: express.Request,
  ): Promise<LineStopView> {
    return this.audited(
      'kargo-line-stop-start',
      credentials,
      request,
      async meta => {
        const input = parse(startInput, body ?? {}, 'request body');
        meta.instance = input.instance ?? '*';
        await this.authorize(credentials);
        if (input.instance) this.options.instances.get(input.instance);
        const row: Row = {
          id: randomUUID(),
          instance: input.instance ?? null,
          reason: input.reason,
          started_by: actorOf(credentials),
          started_at: this.now().toISOString(),
        };
        await this.options.db('kargo_line_stops').insert(row);
        meta.lineStop = row.id;
        await this.options.notifier?.send({
          event: `line-stop-start:${row.id}`,
          to: 'everyone',
          payload: {
            title: `Stop the line${
              input.instance ? ` (${input.instance})` : ''
            }: ${input.reason}`,
            description: `${row.started_by} closed every stage of ${
              input.instance
                ? `Kargo instance ${input.instance}`
                : 'every Kargo project'
            } until further notice.`,
            severity: 'critical',
            topic: KARGO_TOPICS.lineStops,
            scope: `kargo-line-stop:${row.id}`,
          },
        });
        return viewOf(row);
      },
    );
  }

  async end(
    credentials: BackstageCredentials,
    id: unknown,
    request?: express.Request,
  ): Promise<void> {
    await this.audited(
      'kargo-line-stop-end',
      credentials,
      request,
      async meta => {
        const checked = parse(stopId, id, 'path');
        meta.lineStop = checked;
        await this.authorize(credentials);
        const ended = await this.options
          .db('kargo_line_stops')
          .where({ id: checked })
          .whereNull('ended_at')
          .update({
            ended_by: actorOf(credentials),
            ended_at: this.now().toISOString(),
          });
        if (!ended) {
          throw new NotFoundError(
            `No stop-the-line freeze "${checked}" is in force`,
          );
        }
        await this.options.notifier?.send({
          event: `line-stop-end:${checked}`,
          to: 'everyone',
          payload: {
            title: 'The line runs again',
            description: `${actorOf(
              credentials,
            )} ended a stop-the-line freeze: promotions are open again.`,
            severity: 'normal',
            topic: KARGO_TOPICS.lineStops,
            scope: `kargo-line-stop:${checked}`,
          },
        });
      },
    );
  }

  private async authorize(credentials: BackstageCredentials) {
    // As every Kargo permission: a service principal holds only what its restrictions name.
    const [decision] = await authorizeKargo(
      this.options.permissions,
      [{ permission: kargoLineStopPermission }],
      credentials,
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(`Not allowed: ${kargoLineStopPermission.name}`);
    }
  }

  private async audited<T>(
    eventId: string,
    credentials: BackstageCredentials,
    request: express.Request | undefined,
    fn: (meta: Record<string, string>) => Promise<T>,
  ): Promise<T> {
    const meta: Record<string, string> = { actor: actorOf(credentials) };
    const audit = await this.options.auditor.createEvent({
      eventId,
      severityLevel: 'high',
      request,
      meta,
    });
    try {
      const result = await fn(meta);
      await this.options.onChange().catch(error => {
        meta.afterChange = `failed: ${(error as Error).message}`;
      });
      await audit.success({ meta });
      return result;
    } catch (error) {
      await audit.fail({ error: error as Error, meta });
      throw error;
    }
  }
}
