import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  kargoFreezeManagePermission,
  kargoProjectResourceRef,
  kargoStageManagePermission,
  PromotionWindowState,
  PromotionWindowView,
} from '@kargo-backstage/plugin-kargo-common';
import { z } from 'zod/v3';
import { KargoStore } from '../../database';
import {
  OperationDeps,
  OperationService,
} from '../operations/OperationService';
import type { OperationCall } from '../operations/types';
import { actorOf } from '../operations/operation';
import { objectName, parse } from '../operations/schemas';
import { stagesSelectedBy } from '../operations/stageScope';
import { evaluatePromotionSchedule, windowProblems } from './promotionSchedule';

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

export interface PromotionWindowServiceOptions extends OperationDeps {
  store: KargoStore;
  now?: () => Date;
  /** Told of a freeze ended while in force (its owners hear of it). */
  onEnded?: (
    ref: { instance: string; project: string },
    window: PromotionWindowView,
    now: Date,
  ) => Promise<void>;
}

/** Freeze (promotion) windows of a project: list with each stage's state, create, end. */
export class PromotionWindowService extends OperationService<PromotionWindowServiceOptions> {
  private readonly now: () => Date;

  constructor(options: PromotionWindowServiceOptions) {
    super(options);
    this.now = options.now ?? (() => new Date());
  }

  /** The windows, and what they say about each stage now (kargo.project.read). */
  async list(
    credentials: BackstageCredentials,
    ref: { instance: string; project: string },
  ): Promise<{
    items: PromotionWindowView[];
    stages: Record<string, PromotionWindowState>;
  }> {
    const params = await this.readable(credentials, ref);
    const client = this.options.instances.get(params.instance);
    const [windows, snapshot] = await Promise.all([
      this.options.store.listPromotionWindows(params),
      this.options.states.get(client, params.project),
    ]);
    const at = this.now();
    return {
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
    };
  }

  /** A window closes (or, an Allow window, opens) every stage it selects. */
  create(call: OperationCall<unknown>) {
    return this.run.checked(
      'kargo-promotion-window-create',
      call,
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
        await op.authorize(
          kargoStageManagePermission,
          stagesSelectedBy(await op.snapshot(), op.body.stageSelector).map(
            op.stageRef,
          ),
        );
        const window: PromotionWindowView = {
          ...op.body,
          createdBy: actorOf(op.credentials),
          createdAt: this.now().toISOString(),
        };
        Object.assign(op.meta, { window: op.body.name, kind: op.body.kind });
        await this.options.store.createPromotionWindow(op, window);
        return { status: 201, body: window as any };
      },
    );
  }

  /** Ending a freeze opens the stages it closed. */
  delete(call: OperationCall<unknown>) {
    return this.run.checked(
      'kargo-promotion-window-delete',
      call,
      z.object({}).passthrough(),
      async op => {
        await op.authorize(kargoFreezeManagePermission, [
          kargoProjectResourceRef(op.instance, op.project),
        ]);
        const name = parse(objectName, op.params.name, 'window name');
        op.meta.window = name;
        const window = (await this.options.store.listPromotionWindows(op)).find(
          w => w.name === name,
        );
        if (window)
          await op.authorize(
            kargoStageManagePermission,
            stagesSelectedBy(await op.snapshot(), window.stageSelector).map(
              op.stageRef,
            ),
          );
        if (
          !window ||
          !(await this.options.store.deletePromotionWindow(op, name))
        ) {
          throw new NotFoundError(
            `Project "${op.project}" has no promotion window named "${name}"`,
          );
        }
        await this.options.onEnded?.(op, window, this.now());
        return { status: 204 };
      },
    );
  }
}
