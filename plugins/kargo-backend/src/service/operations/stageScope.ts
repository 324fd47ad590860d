import {
  kargoProjectResourceRef,
  kargoStageManagePermission,
  requestsFreightFrom,
} from '@kargo-backstage/plugin-kargo-common';
import { ResourcePermission } from '@backstage/plugin-permission-common';
import { ProjectSnapshot } from '../views/buildProjectView';
import { selectsStage, StageSelector } from '../freeze/stageSelector';
import { Operation } from './operation';

/**
 * Project-level changes that govern stages (auto-promotion, freeze windows, warehouses,
 * credentials, verdicts) need the project-level permission of the change and
 * `kargo.stage.manage` on every stage they affect: a policy that keeps a user out of prod keeps
 * them from switching prod's auto-promotion on or ending its freeze, too.
 */
export async function authorizeProjectChange(
  op: Operation<unknown>,
  permission: ResourcePermission,
  stages: string[],
): Promise<void> {
  await op.authorize(permission, [
    kargoProjectResourceRef(op.instance, op.project),
  ]);
  await op.authorize(
    kargoStageManagePermission,
    [...new Set(stages)].sort().map(op.stageRef),
  );
}

/** The stages that take freight from these warehouses (directly or through upstream stages). */
export function stagesFedBy(
  snapshot: ProjectSnapshot,
  warehouses: string[],
): string[] {
  return snapshot.stages
    .filter(s => warehouses.some(w => requestsFreightFrom(s, w)))
    .map(s => s.metadata!.name!);
}

/** The stages a Kargo stage selector picks (a freeze window's, an approval policy's). */
export function stagesSelectedBy(
  snapshot: ProjectSnapshot,
  selector: StageSelector | undefined,
): string[] {
  return snapshot.stages
    .filter(s =>
      selectsStage(selector, {
        name: s.metadata!.name!,
        labels: s.metadata?.labels,
      }),
    )
    .map(s => s.metadata!.name!);
}

/** Every stage of the project. */
export function allStages(snapshot: ProjectSnapshot): string[] {
  return snapshot.stages.map(s => s.metadata!.name!);
}
