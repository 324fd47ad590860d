import { LoggerService } from '@backstage/backend-plugin-api';
import type { LineStopView, Stage } from '@kargo-backstage/plugin-kargo-common';
import { KargoStore, ProjectRef } from '../../database';
import { KargoInstances } from '@kargo-backstage/plugin-kargo-node';
import { stagePromotionWindow } from './stagePromotionWindow';
import { modifyPromotionPolicies, policyIndex } from '../promotionPolicies';

/**
 * Open-source Kargo ignores promotion windows, so its auto-promotion would run into a frozen
 * stage. While a stage is closed this keeps its auto-promotion off in the project's promotion
 * policies, remembering the previous setting in the database, and restores it when the stage
 * opens. Every run re-asserts it: auto-promotion turned back on in Kargo during a freeze is
 * turned off again (the stored previous setting stays). Run by the Backstage scheduler (one
 * runner across replicas); a restart loses nothing because the holds are stored before Kargo is
 * changed. ProjectConfig is read right before it is written, the write carries the
 * resourceVersion read and is retried on a conflict (see modifyPromotionPolicies).
 */
export class AutoPromotionFreezer {
  constructor(
    private readonly store: KargoStore,
    private readonly instances: KargoInstances,
    private readonly logger: LoggerService,
    private readonly holds: {
      /** Approval policies hold auto-promotion too: Kargo would not wait for approvals. */
      approvals?: {
        policiesFor(ref: ProjectRef, stage: Stage): Promise<unknown[]>;
      };
      /** Stop-the-line freezes reach every project of their instances. */
      lineStops?: { active(): Promise<LineStopView[]> };
    } = {},
  ) {}

  async run(now: Date): Promise<void> {
    for (const ref of await this.projects()) {
      try {
        await this.runProject(ref, now);
      } catch (error) {
        this.logger.warn(
          `Could not apply promotion windows to auto-promotion in ${ref.instance}/${ref.project}: ${error}`,
        );
      }
    }
  }

  /** Projects with windows, holds or policies, and under a line stop every project. */
  private async projects(): Promise<ProjectRef[]> {
    const refs = new Map<string, ProjectRef>();
    const add = (ref: ProjectRef) =>
      refs.set(`${ref.instance}/${ref.project}`, ref);
    (await this.store.projectsWithPromotionWindows()).forEach(add);
    const stops = (await this.holds.lineStops?.active()) ?? [];
    const stopped = stops.some(s => !s.instance)
      ? this.instances.names()
      : [...new Set(stops.map(s => s.instance!))];
    for (const instance of stopped) {
      try {
        const projects = await this.instances.get(instance).listProjects();
        for (const p of projects.items ?? []) {
          add({ instance, project: p.metadata!.name! });
        }
      } catch (error) {
        this.logger.warn(
          `Could not list the projects of Kargo instance "${instance}" to stop the line: ${error}`,
        );
      }
    }
    return [...refs.values()];
  }

  async runProject(ref: ProjectRef, now: Date): Promise<void> {
    const client = this.instances.get(ref.instance);
    const [windows, stages] = await Promise.all([
      this.store.listPromotionWindows(ref),
      client.listStages(ref.project),
    ]);
    const open = new Map<string, boolean>();
    for (const stage of stages.items ?? []) {
      const window = stagePromotionWindow(stage, windows, now, {
        logger: this.logger,
      });
      const approvals = await this.holds.approvals?.policiesFor(ref, stage);
      open.set(
        stage.metadata!.name!,
        (window?.open ?? true) && !approvals?.length,
      );
    }
    let restored: string[] = [];
    await modifyPromotionPolicies(client, ref.project, async policies => {
      // Asked again after a conflict, with the policies read again.
      const holds = await this.store.listAutoPromotionHolds(ref);
      let changed = false;
      restored = [];
      for (const stage of stages.items ?? []) {
        const name = stage.metadata!.name!;
        const hold = holds.find(h => h.stage === name);
        const index = policyIndex(policies, stage);
        const auto =
          index >= 0 && Boolean(policies[index].autoPromotionEnabled);
        if (!open.get(name) && auto) {
          // Closed and on: the first time since it closed, or turned back on in Kargo since.
          if (!hold) {
            await this.store.putAutoPromotionHold(ref, {
              stage: name,
              previous: true,
              heldSince: now.toISOString(),
            });
          }
          policies[index] = { ...policies[index], autoPromotionEnabled: false };
          changed = true;
        } else if (open.get(name) && hold) {
          if (index >= 0) {
            policies[index] = {
              ...policies[index],
              autoPromotionEnabled: hold.previous,
            };
          } else if (hold.previous) {
            policies.push({ stage: name, autoPromotionEnabled: true });
          }
          changed = true;
          restored.push(name);
        }
      }
      return changed ? policies : undefined;
    });
    // Holds go only once Kargo has the restored setting.
    for (const stage of restored) {
      await this.store.deleteAutoPromotionHold(ref, stage);
    }
  }
}
