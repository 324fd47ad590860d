import {
  kargoProjectResourceRef,
  kargoStageRefreshPermission,
  kargoStageReverifyPermission,
  kargoWarehouseRefreshPermission,
} from '@kargo-backstage/plugin-kargo-common';
import { OperationService } from '../operations/OperationService';
import type { OperationCall } from '../operations/types';
import * as check from '../operations/preconditions';
import { parse, pathParams } from '../operations/schemas';

type StageCall = OperationCall<unknown>;

/** Refresh, re-verify and abort verification of stages; refresh of warehouses. */
export class StageService extends OperationService {
  refresh(call: StageCall) {
    return this.run('kargo-stage-refresh', call, async op => {
      const stage = parse(pathParams, op.params, 'path').stage!;
      await op.authorize(kargoStageRefreshPermission, [op.stageRef(stage)]);
      check.requireStage(await op.snapshot(), op.project, stage);
      op.meta.kargoCall = `POST /v1beta1/projects/${op.project}/stages/${stage}/refresh`;
      await op.writer.refreshStage(op.project, stage);
      return { status: 204 };
    });
  }

  refreshWarehouse(call: StageCall) {
    return this.run('kargo-warehouse-refresh', call, async op => {
      const name = parse(pathParams, op.params, 'path').warehouse!;
      await op.authorize(kargoWarehouseRefreshPermission, [
        kargoProjectResourceRef(op.instance, op.project),
      ]);
      check.requireWarehouse(await op.snapshot(), op.project, name);
      op.meta.kargoCall = `POST /v1beta1/projects/${op.project}/warehouses/${name}/refresh`;
      await op.writer.refreshWarehouse(op.project, name);
      return { status: 204 };
    });
  }

  /** Verifies the stage's current freight again, or aborts the running verification. */
  verification(call: StageCall, mode: 'reverify' | 'abort') {
    const eventId =
      mode === 'reverify' ? 'kargo-stage-reverify' : 'kargo-verification-abort';
    return this.run(eventId, call, async op => {
      const name = parse(pathParams, op.params, 'path').stage!;
      await op.authorize(kargoStageReverifyPermission, [op.stageRef(name)]);
      const stage = check.requireStage(await op.snapshot(), op.project, name);
      check.requireVerification(stage, mode);
      const path = `/v1beta1/projects/${op.project}/stages/${name}/verification`;
      if (mode === 'reverify') {
        op.meta.kargoCall = `POST ${path}`;
        await op.writer.reverify(op.project, name);
      } else {
        op.meta.kargoCall = `POST ${path}/abort`;
        await op.writer.abortVerification(op.project, name);
      }
      return { status: 204 };
    });
  }
}
