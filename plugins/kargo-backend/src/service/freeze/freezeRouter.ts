import { NotFoundError } from '@backstage/errors';
import {
  kargoFreezeManagePermission,
  kargoProjectResourceRef,
  kargoStageManagePermission,
  PromotionWindow,
  PromotionWindowView,
} from '@kargo-backstage/plugin-kargo-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod/v3';
import { KargoStore } from '../../database';
import {
  createOperationDefiner,
  Operation,
  OperationDeps,
  readerCredentials,
} from '../operations/operation';
import { InputError } from '@backstage/errors';
import { objectName, parse } from '../operations/schemas';
import {
  evaluatePromotionSchedule,
  selectsStage,
  windowProblems,
} from './promotionSchedule';

const windowInput = z
  .object({
    name: objectName,
    kind: z.enum(['Allow', 'Deny']),
    stageSelector: z
      .object({
        name: z.string().min(1).max(253).optional(),
        matchLabels: z
          .record(z.string().max(63), z.string().max(63))
          .optional(),
      })
      .strict()
      .optional(),
    dtstart: z.string().min(1).max(40),
    dtend: z.string().min(1).max(40),
    rrule: z.string().min(1).max(500).optional(),
    timeZone: z.string().min(1).max(64).optional(),
    reason: z.string().max(1000).optional(),
  })
  .strict();

export interface FreezeRouterOptions extends OperationDeps {
  store: KargoStore;
  now?: () => Date;
}

/** Freeze (promotion) windows of a project: list with each stage's state, create, end. */
export function createFreezeRouter(
  options: FreezeRouterOptions,
): express.Router {
  const { store } = options;
  const now = options.now ?? (() => new Date());
  const router = Router();
  const operation = createOperationDefiner(router, options);
  const base = '/instances/:instance/projects/:project/promotion-windows';

  async function authorizeSelectedStages(
    op: Operation<unknown>,
    window: PromotionWindow,
  ) {
    const selected = (await op.snapshot()).stages.filter(s =>
      selectsStage(window.stageSelector, {
        name: s.metadata!.name!,
        labels: s.metadata?.labels,
      }),
    );
    await op.authorize(
      kargoStageManagePermission,
      selected.map(s => op.stageRef(s.metadata!.name!)),
    );
  }

  router.get(base, async (req, res) => {
    const { params } = await readerCredentials(
      req,
      options.httpAuth,
      options.permissions,
    );
    const client = options.instances.get(params.instance);
    const [windows, snapshot] = await Promise.all([
      store.listPromotionWindows(params),
      options.snapshots.get(client, params.project),
    ]);
    const at = now();
    res.json({
      items: windows,
      stages: Object.fromEntries(
        snapshot.stages.map(s => [
          s.metadata!.name!,
          evaluatePromotionSchedule(
            windows,
            { name: s.metadata!.name!, labels: s.metadata?.labels },
            at,
          ),
        ]),
      ),
    });
  });

  operation(
    'post',
    base,
    'kargo-promotion-window-create',
    windowInput,
    async op => {
      await op.authorize(kargoFreezeManagePermission, [
        kargoProjectResourceRef(op.instance, op.project),
      ]);
      const problems = windowProblems(op.body);
      if (problems.length) {
        throw new InputError(
          `Invalid promotion window: ${problems.join('; ')}`,
        );
      }
      // A window closes (or, an Allow window, opens) every stage it selects.
      await authorizeSelectedStages(op, op.body);
      const by =
        (op.credentials.principal as { userEntityRef?: string })
          .userEntityRef ?? 'service';
      const window: PromotionWindowView = {
        ...op.body,
        createdBy: by,
        createdAt: now().toISOString(),
      };
      Object.assign(op.meta, { window: op.body.name, kind: op.body.kind });
      await store.createPromotionWindow(op, window);
      return { status: 201, body: window as any };
    },
  );

  operation(
    'delete',
    `${base}/:name`,
    'kargo-promotion-window-delete',
    z.object({}).passthrough(),
    async (op, req) => {
      await op.authorize(kargoFreezeManagePermission, [
        kargoProjectResourceRef(op.instance, op.project),
      ]);
      const name = parse(objectName, req.params.name, 'window name');
      op.meta.window = name;
      const window = (await store.listPromotionWindows(op)).find(
        w => w.name === name,
      );
      // Ending a freeze opens the stages it closed.
      if (window) await authorizeSelectedStages(op, window);
      if (!window || !(await store.deletePromotionWindow(op, name))) {
        throw new NotFoundError(
          `Project "${op.project}" has no promotion window named "${name}"`,
        );
      }
      return { status: 204 };
    },
  );

  return router;
}
