import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  FREIGHT_METADATA_LIMITS as LIMITS,
  FreightMetadataChange,
  FreightMetadataView,
  isSafeLinkUrl,
  kargoFreightMetadataUpdatePermission,
  kargoProjectResourceRef,
} from '@kargo-backstage/plugin-kargo-common';
import { z } from 'zod/v3';
import { KargoStore } from '../../database';
import {
  OperationDeps,
  OperationService,
} from '../operations/OperationService';
import type { OperationCall } from '../operations/types';
import { actorOf } from '../operations/operation';
import { requireFreight } from '../operations/preconditions';
import { parse } from '../operations/schemas';
import { authorizeProjectChange, stagesFedBy } from '../operations/stageScope';

const metadataInput = z
  .object({
    version: z.number().int().min(0),
    notes: z.string().max(LIMITS.notes).optional(),
    links: z
      .array(
        z
          .object({
            title: z.string().min(1).max(LIMITS.linkTitle),
            url: z
              .string()
              .max(LIMITS.linkUrl)
              .refine(isSafeLinkUrl, 'only http(s) URLs are allowed'),
          })
          .strict(),
      )
      .max(LIMITS.links)
      .optional(),
    labels: z
      .record(
        z
          .string()
          .min(1)
          .max(LIMITS.labelKey)
          .regex(
            /^[A-Za-z0-9][-A-Za-z0-9_./]*$/,
            'label keys: letters, digits, - _ . /',
          ),
        z.string().max(LIMITS.labelValue),
      )
      .refine(l => Object.keys(l).length <= LIMITS.labels, {
        message: `at most ${LIMITS.labels} labels`,
      })
      .optional(),
    verdict: z
      .object({
        value: z.enum(['recommended', 'do-not-promote']),
        reason: z.string().max(LIMITS.verdictReason).optional(),
      })
      .strict()
      .nullable()
      .optional(),
  })
  .strict();

const bulkQuery = z.object({
  freight: z
    .union([z.string(), z.array(z.string())])
    .transform(v => (Array.isArray(v) ? v : [v]))
    .pipe(z.array(z.string().min(1).max(253)).min(1).max(1000)),
});

export interface FreightMetadataServiceOptions extends OperationDeps {
  store: KargoStore;
  now?: () => Date;
}

/**
 * The portal's freight metadata: bulk read for tools and the UI, versioned writes (409 when
 * someone wrote since), and the history of who wrote what.
 */
export class FreightMetadataService extends OperationService<FreightMetadataServiceOptions> {
  private readonly now: () => Date;

  constructor(options: FreightMetadataServiceOptions) {
    super(options);
    this.now = options.now ?? (() => new Date());
  }

  /** Up to 1 000 freight, one query (kargo.project.read). */
  async get(
    credentials: BackstageCredentials,
    ref: { instance: string; project: string },
    query: unknown,
  ): Promise<FreightMetadataView[]> {
    const params = await this.readable(credentials, ref);
    const { freight } = parse(bulkQuery, query, 'query');
    const found = await this.options.store.getFreightMetadata(params, freight);
    return [...found.values()];
  }

  async history(
    credentials: BackstageCredentials,
    ref: { instance: string; project: string; freight: string },
  ): Promise<FreightMetadataChange[]> {
    const params = await this.readable(credentials, ref);
    return this.options.store.getFreightMetadataHistory(
      params,
      params.freight!,
    );
  }

  update(call: OperationCall<unknown>) {
    return this.run.checked(
      'kargo-freight-metadata-update',
      call,
      metadataInput,
      async op => {
        await op.authorize(kargoFreightMetadataUpdatePermission, [
          kargoProjectResourceRef(op.instance, op.project),
        ]);
        const snapshot = await op.snapshot();
        const freight = requireFreight(
          snapshot,
          op.project,
          op.params.freight!,
        );
        const name = freight.metadata!.name!;
        const [current] = (
          await this.options.store.getFreightMetadata(op, [name])
        ).values();
        if (
          current?.verdict?.value === 'do-not-promote' &&
          op.body.verdict?.value !== 'do-not-promote'
        ) {
          // Lifting "do not promote" opens the freight to every stage its warehouse feeds.
          await authorizeProjectChange(
            op,
            kargoFreightMetadataUpdatePermission,
            stagesFedBy(snapshot, [freight.origin?.name ?? '']),
          );
          op.meta.verdictCleared = true;
        }
        const by = actorOf(op.credentials);
        Object.assign(op.meta, { freight: name, version: op.body.version });
        const saved = await this.options.store.putFreightMetadata(
          op,
          name,
          op.body,
          by,
          this.now().toISOString(),
        );
        op.meta.newVersion = saved.version;
        return {
          status: 200,
          body: saved as any,
          headers: { etag: `"${saved.version}"` },
        };
      },
    );
  }
}
