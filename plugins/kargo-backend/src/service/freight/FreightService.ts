import {
  kargoFreightAliasUpdatePermission,
  kargoFreightApprovePermission,
  kargoProjectResourceRef,
} from '@kargo-backstage/plugin-kargo-common';
import { OperationService } from '../operations/OperationService';
import type { OperationCall } from '../operations/types';
import * as check from '../operations/preconditions';
import { aliasBody, approveBody } from '../operations/schemas';

/** Approving freight for a stage and naming it with an alias. */
export class FreightService extends OperationService {
  approve(call: OperationCall<unknown>) {
    return this.run.checked(
      'kargo-freight-approve',
      call,
      approveBody,
      async op => {
        const { params, body } = op;
        await op.authorize(kargoFreightApprovePermission, [
          op.stageRef(body.stage),
        ]);
        const snapshot = await op.snapshot();
        const stage = check.requireStage(snapshot, op.project, body.stage);
        const freight = check.requireFreight(
          snapshot,
          op.project,
          params.freight!,
        );
        check.requireApprovable(stage, freight);
        const name = freight.metadata!.name!;
        Object.assign(op.meta, {
          freight: name,
          kargoCall: `POST /v1beta1/projects/${op.project}/freight/${name}/approve?stage=${body.stage}`,
        });
        await op.writer.approveFreight(op.project, name, body.stage);
        return { status: 204 };
      },
    );
  }

  updateAlias(call: OperationCall<unknown>) {
    return this.run.checked(
      'kargo-freight-alias-update',
      call,
      aliasBody,
      async op => {
        const { params, body } = op;
        await op.authorize(kargoFreightAliasUpdatePermission, [
          kargoProjectResourceRef(op.instance, op.project),
        ]);
        const snapshot = await op.snapshot();
        const freight = check.requireFreight(
          snapshot,
          op.project,
          params.freight!,
        );
        check.requireAliasFree(snapshot, freight, body.alias);
        const name = freight.metadata!.name!;
        Object.assign(op.meta, {
          freight: name,
          alias: body.alias,
          kargoCall: `PATCH /v1beta1/projects/${op.project}/freight/${name}/alias?newAlias=${body.alias}`,
        });
        await op.writer.updateFreightAlias(op.project, name, body.alias);
        return { status: 204 };
      },
    );
  }
}
