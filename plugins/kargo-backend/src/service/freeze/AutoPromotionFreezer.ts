import { LoggerService } from '@backstage/backend-plugin-api';
import { KargoStore, ProjectRef } from '../../database';
import { KargoInstances } from '@kargo-backstage/plugin-kargo-node';
import { evaluatePromotionSchedule } from './promotionSchedule';
import {
  policyIndex,
  PromotionPolicy,
  updatePromotionPolicies,
} from '../promotionPolicies';

/**
 * Open-source Kargo ignores promotion windows, so its auto-promotion would run into a frozen
 * stage. While a stage is closed this turns its auto-promotion off in the project's
 * promotion policies, remembering the previous setting in the database, and restores it when
 * the stage opens. Run by the Backstage scheduler (one runner across replicas); a restart
 * loses nothing because the holds are stored before Kargo is changed.
 */
export class AutoPromotionFreezer {
  constructor(
    private readonly store: KargoStore,
    private readonly instances: KargoInstances,
    private readonly logger: LoggerService,
  ) {}

  async run(now: Date): Promise<void> {
    for (const ref of await this.store.projectsWithPromotionWindows()) {
      try {
        await this.runProject(ref, now);
      } catch (error) {
        this.logger.warn(
          `Could not apply promotion windows to auto-promotion in ${ref.instance}/${ref.project}: ${error}`,
        );
      }
    }
  }

  async runProject(ref: ProjectRef, now: Date): Promise<void> {
    const client = this.instances.get(ref.instance);
    const [windows, holds, stages, config] = await Promise.all([
      this.store.listPromotionWindows(ref),
      this.store.listAutoPromotionHolds(ref),
      client.listStages(ref.project),
      client.getProjectConfig(ref.project),
    ]);
    const policies: PromotionPolicy[] = structuredClone(
      config.spec?.promotionPolicies ?? [],
    );
    let changed = false;
    const restored: string[] = [];
    for (const stage of stages.items ?? []) {
      const name = stage.metadata!.name!;
      const { open } = evaluatePromotionSchedule(
        windows,
        { name, labels: stage.metadata?.labels },
        now,
      );
      const hold = holds.find(h => h.stage === name);
      const index = policyIndex(policies, stage);
      const auto = index >= 0 && Boolean(policies[index].autoPromotionEnabled);
      if (!open && auto && !hold) {
        await this.store.putAutoPromotionHold(ref, {
          stage: name,
          previous: true,
          heldSince: now.toISOString(),
        });
        policies[index] = { ...policies[index], autoPromotionEnabled: false };
        changed = true;
      } else if (open && hold) {
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
    if (changed) {
      await updatePromotionPolicies(client, ref.project, config, policies);
    }
    // Holds go only once Kargo has the restored setting.
    for (const stage of restored) {
      await this.store.deleteAutoPromotionHold(ref, stage);
    }
  }
}
