import { AuditorService, LoggerService } from '@backstage/backend-plugin-api';
import type {
  ApprovalPolicyView,
  Freight,
  LineStopView,
  Stage,
} from '@kargo-backstage/plugin-kargo-common';
import { KargoStore, ProjectRef } from '../../database';
import {
  KargoClient,
  KargoInstances,
} from '@kargo-backstage/plugin-kargo-node';
import {
  freightAvailability,
  isAvailable,
} from '../availability/freightAvailability';
import type { ApprovalService } from '../approvals/ApprovalService';
import type { ProjectStates } from '../state/ProjectStates';
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
      /**
       * Approval policies hold auto-promotion too (Kargo would not wait for approvals); freight
       * approved for the stage is promoted where Kargo would have auto-promoted.
       */
      approvals?: Pick<
        ApprovalService,
        'projectPolicies' | 'policiesFor' | 'approvedFreight'
      >;
      /** Stop-the-line freezes reach every project of their instances. */
      lineStops?: { active(): Promise<LineStopView[]> };
      /** Where a project is watched, its stages are read from the watch, not from Kargo. */
      states?: Pick<ProjectStates, 'followed'>;
      /** Records the promotions of approved freight it makes (the portal acting, not a user). */
      auditor?: AuditorService;
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

  /** A watched project's stages as its watch keeps them; Kargo's list otherwise. */
  private async stagesOf(ref: ProjectRef, client: KargoClient) {
    return (
      this.holds.states?.followed(ref.instance, ref.project)?.stages ??
      (await client.listStages(ref.project)).items ??
      []
    );
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
      this.stagesOf(ref, client),
    ]);
    // Read once for all the project's stages.
    const approvalPolicies = await this.holds.approvals?.projectPolicies(ref);
    const open = new Map<string, boolean>();
    /** Held for approvals alone (no window closes them). */
    const awaitingApproval: Stage[] = [];
    for (const stage of stages) {
      const window = stagePromotionWindow(stage, windows, now, {
        logger: this.logger,
      });
      const approvals =
        approvalPolicies &&
        (await this.holds.approvals!.policiesFor(ref, stage, approvalPolicies));
      open.set(
        stage.metadata!.name!,
        (window?.open ?? true) && !approvals?.length,
      );
      if ((window?.open ?? true) && approvals?.length) {
        awaitingApproval.push(stage);
      }
    }
    let restored: string[] = [];
    await modifyPromotionPolicies(client, ref.project, async policies => {
      // Asked again after a conflict, with the policies read again.
      const holds = await this.store.listAutoPromotionHolds(ref);
      let changed = false;
      restored = [];
      for (const stage of stages) {
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
    const held = await this.store.listAutoPromotionHolds(ref);
    for (const stage of awaitingApproval) {
      // Only where Kargo auto-promoted before the hold: the hold waits for approval, no more.
      if (held.find(h => h.stage === stage.metadata!.name!)?.previous) {
        await this.promoteApproved(ref, client, stage, approvalPolicies!, now);
      }
    }
  }

  /**
   * What Kargo's auto-promotion would do, among approved freight: promote the newest available
   * one, unless the stage had it already or a promotion of it exists (Kargo's own rule: one
   * auto-promotion per freight). Freight that has been in the stage costs no Kargo call.
   */
  private async promoteApproved(
    ref: ProjectRef,
    client: KargoClient,
    stage: Stage,
    policies: ApprovalPolicyView[],
    now: Date,
  ): Promise<void> {
    const name = stage.metadata!.name!;
    const been = new Set(
      (stage.status?.freightHistory ?? []).flatMap(c =>
        Object.values(c.items ?? {}).map(f => f.name),
      ),
    );
    const approved = (
      await this.holds.approvals!.approvedFreight(ref, stage, policies)
    ).filter(f => !been.has(f));
    if (!approved.length) return;
    const candidates = (
      await Promise.all(
        approved.map(f =>
          client.getFreight(ref.project, f).catch(() => undefined),
        ),
      )
    )
      .filter(
        (f): f is Freight =>
          Boolean(f) &&
          isAvailable(freightAvailability(stage, f!), now.getTime()),
      )
      .sort((a, b) =>
        (b.metadata?.creationTimestamp ?? '').localeCompare(
          a.metadata?.creationTimestamp ?? '',
        ),
      );
    const newest = candidates[0]?.metadata?.name;
    if (!newest) return;
    const promotions = await client.listPromotions(ref.project, {
      stage: name,
    });
    if ((promotions.items ?? []).some(p => p.spec?.freight === newest)) return;
    const event = await this.holds.auditor?.createEvent({
      eventId: 'kargo-approved-auto-promotion',
      severityLevel: 'medium',
      meta: { ...ref, stage: name, freight: newest },
    });
    try {
      const promotion = await client.promoteToStage(ref.project, name, {
        freight: newest,
      });
      await event?.success({ meta: { promotion: promotion.metadata?.name } });
      this.logger.info(
        `Promoted approved freight ${newest} into ${ref.instance}/${ref.project}/${name} (the stage auto-promotes)`,
      );
    } catch (error) {
      await event?.fail({ error: error as Error });
      throw error;
    }
  }
}
