import {
  FREIGHT_METADATA_LIMITS as LIMITS,
  isSafeLinkUrl,
  kargoFreightMetadataUpdatePermission,
  kargoProjectResourceRef,
} from '@kargo-backstage/plugin-kargo-common';
import { authorizeProjectChange, stagesFedBy } from '../operations/stageScope';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod/v3';
import { KargoStore } from '../../database';
import {
  actorOf,
  createOperationDefiner,
  OperationDeps,
  readerCredentials,
} from '../operations/operation';
import { requireFreight } from '../operations/preconditions';
import { parse } from '../operations/schemas';

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

export interface MetadataRouterOptions extends OperationDeps {
  store: KargoStore;
  now?: () => Date;
}

/**
 * The portal's freight metadata: bulk read for tools and the UI, versioned writes (409 when
 * someone wrote since), and the history of who wrote what.
 */
export function createMetadataRouter(
  options: MetadataRouterOptions,
): express.Router {
  const { store, httpAuth, permissions } = options;
  const now = options.now ?? (() => new Date());
  const router = Router();
  const operation = createOperationDefiner(router, options);
  const project = '/instances/:instance/projects/:project';

  async function reader(req: express.Request) {
    const { params } = await readerCredentials(req, httpAuth, permissions);
    options.instances.get(params.instance);
    return params;
  }

  /** `GET .../freight-metadata?freight=a&freight=b`: up to 1 000 freight, one query. */
  router.get(`${project}/freight-metadata`, async (req, res) => {
    const params = await reader(req);
    const { freight } = parse(bulkQuery, req.query, 'query');
    const found = await store.getFreightMetadata(params, freight);
    res.json({ items: [...found.values()] });
  });

  router.get(
    `${project}/freight/:freight/metadata/history`,
    async (req, res) => {
      const params = await reader(req);
      res.json({
        items: await store.getFreightMetadataHistory(params, params.freight!),
      });
    },
  );

  operation(
    'put',
    `${project}/freight/:freight/metadata`,
    'kargo-freight-metadata-update',
    metadataInput,
    async op => {
      await op.authorize(kargoFreightMetadataUpdatePermission, [
        kargoProjectResourceRef(op.instance, op.project),
      ]);
      const snapshot = await op.snapshot();
      const freight = requireFreight(snapshot, op.project, op.params.freight!);
      const name = freight.metadata!.name!;
      const [current] = (await store.getFreightMetadata(op, [name])).values();
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
      const saved = await store.putFreightMetadata(
        op,
        name,
        op.body,
        by,
        now().toISOString(),
      );
      op.meta.newVersion = saved.version;
      return {
        status: 200,
        body: saved as any,
        headers: { etag: `"${saved.version}"` },
      };
    },
  );

  return router;
}
