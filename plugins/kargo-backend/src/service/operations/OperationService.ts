import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { ResourcePermission } from '@backstage/plugin-permission-common';
import { kargoProjectReadPermission } from '@kargo-backstage/plugin-kargo-common';
import { z } from 'zod/v3';
import {
  authorizeProjectRead,
  createOperationRunner,
  OperationRunner,
} from './operation';
import { parse, pathParams } from './schemas';
import { OperationDeps } from './types';

export type { OperationDeps } from './types';

/** A service whose changes run as operations (audited, authorized, checked). */
export abstract class OperationService<
  O extends OperationDeps = OperationDeps,
> {
  protected readonly run: OperationRunner;

  constructor(protected readonly options: O) {
    this.run = createOperationRunner(options);
  }

  /**
   * The project's path, checked, once the caller may read it (`permission`, 403 otherwise) on
   * an instance that is configured (404 otherwise).
   */
  protected async readable(
    credentials: BackstageCredentials,
    ref: unknown,
    permission: ResourcePermission = kargoProjectReadPermission,
  ): Promise<z.infer<typeof pathParams>> {
    const params = parse(pathParams, ref, 'path');
    await authorizeProjectRead(
      this.options.permissions,
      credentials,
      params,
      permission,
    );
    this.options.instances.get(params.instance);
    return params;
  }
}
