import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  kargoProjectManagePermission,
  Warehouse,
} from '@kargo-backstage/plugin-kargo-common';
import semver from 'semver';
import { z } from 'zod/v3';
import { OperationService } from '../operations/OperationService';
import type { Operation, OperationCall } from '../operations/types';
import { isRegex } from './CredentialsService';
import { authorizeProjectChange, stagesFedBy } from '../operations/stageScope';

const range = z
  .string()
  .max(200)
  .refine(r => semver.validRange(r) !== null, 'not a valid semver range');
const regex = z
  .string()
  .max(500)
  .refine(isRegex, 'not a valid regular expression');
const repoURL = z.string().min(1).max(2048);
const limit = z.number().int().min(1).max(100);
const paths = z.array(z.string().min(1).max(500)).max(50);

// Fields Kargo has and the portal does not edit pass through unchanged.
const image = z
  .object({
    repoURL,
    constraint: range.optional(),
    imageSelectionStrategy: z
      .enum(['SemVer', 'Lexical', 'Digest', 'NewestBuild'])
      .optional(),
    allowTags: regex.optional(),
    allowTagsRegexes: z.array(regex).max(50).optional(),
    ignoreTags: z.array(z.string().max(200)).max(50).optional(),
    ignoreTagsRegexes: z.array(regex).max(50).optional(),
    discoveryLimit: limit.optional(),
  })
  .passthrough();
const git = z
  .object({
    repoURL,
    branch: z
      .string()
      .max(255)
      .regex(
        /^[a-zA-Z0-9]([a-zA-Z0-9._/-]*[a-zA-Z0-9_-])?$/,
        'not a branch name',
      )
      .optional(),
    commitSelectionStrategy: z
      .enum(['NewestFromBranch', 'SemVer', 'Lexical', 'NewestTag'])
      .optional(),
    semverConstraint: range.optional(),
    allowTags: regex.optional(),
    ignoreTags: z.array(z.string().max(200)).max(50).optional(),
    includePaths: paths.optional(),
    excludePaths: paths.optional(),
    discoveryLimit: limit.optional(),
  })
  .passthrough();
const chart = z
  .object({
    repoURL,
    name: z.string().max(253).optional(),
    semverConstraint: range.optional(),
    discoveryLimit: limit.optional(),
  })
  .passthrough();
// One object rather than a union, so that errors name the field (subscriptions.0.image.constraint).
const subscription = z
  .object({
    image: image.optional(),
    git: git.optional(),
    chart: chart.optional(),
  })
  .strict()
  .refine(s => [s.image, s.git, s.chart].filter(Boolean).length === 1, {
    message: 'exactly one of image, git or chart',
  });

const warehouseSpec = z
  .object({
    interval: z
      .string()
      .regex(/^([0-9]+(\.[0-9]+)?(s|m|h))+$/, 'must be a duration like 5m0s')
      .optional(),
    freightCreationPolicy: z.enum(['Automatic', 'Manual']).optional(),
    freightCreationCriteria: z
      .object({ expression: z.string().max(2000) })
      .strict()
      .optional(),
    subscriptions: z.array(subscription).min(1).max(50),
  })
  .strict();

const manualFreight = z
  .object({
    images: z
      .array(z.object({ repoURL, tag: z.string().min(1).max(200) }).strict())
      .max(20)
      .optional(),
    commits: z
      .array(z.object({ repoURL, id: z.string().min(1).max(64) }).strict())
      .max(20)
      .optional(),
    charts: z
      .array(
        z
          .object({
            repoURL,
            name: z.string().max(253).optional(),
            version: z.string().min(1).max(100),
          })
          .strict(),
      )
      .max(20)
      .optional(),
  })
  .strict()
  .refine(
    f =>
      (f.images?.length ?? 0) +
        (f.commits?.length ?? 0) +
        (f.charts?.length ?? 0) >
      0,
    'choose at least one artifact',
  );

interface Discovered {
  images?: Array<{
    repoURL?: string;
    references?: Array<{ tag?: string; digest?: string }>;
  }>;
  git?: Array<{
    repoURL?: string;
    commits?: Array<{
      id?: string;
      tag?: string;
      branch?: string;
      subject?: string;
    }>;
  }>;
  charts?: Array<{ repoURL?: string; name?: string; versions?: string[] }>;
}

/**
 * Warehouses from the portal: edit subscriptions, their filters and the freight creation
 * settings (validated here, then by Kargo), and assemble freight by hand from what a Manual
 * warehouse discovered.
 */
export class WarehouseService extends OperationService {
  private async warehouseOf(op: Operation<unknown>, name: string) {
    const snapshot = await op.snapshot();
    // What a warehouse lets through reaches every stage it feeds.
    await authorizeProjectChange(
      op,
      kargoProjectManagePermission,
      stagesFedBy(snapshot, [name]),
    );
    const found = snapshot.warehouses.find(w => w.metadata?.name === name);
    if (!found) {
      throw new NotFoundError(
        `Project "${op.project}" has no warehouse "${name}"`,
      );
    }
    op.meta.warehouse = name;
    return found;
  }

  update(call: OperationCall<unknown>) {
    return this.run.checked(
      'kargo-warehouse-update',
      call,
      warehouseSpec,
      async op => {
        const current = await this.warehouseOf(op, op.params.warehouse!);
        const updated: Warehouse = {
          apiVersion: 'kargo.akuity.io/v1alpha1',
          kind: 'Warehouse',
          metadata: {
            name: current.metadata!.name,
            namespace: op.project,
            labels: current.metadata?.labels,
            annotations: current.metadata?.annotations,
          },
          spec: { ...current.spec, ...op.body } as unknown as Warehouse['spec'],
        };
        await op.writer.updateResources(JSON.stringify(updated));
        op.meta.kargoCall = 'PUT /v1beta1/resources (Warehouse)';
        return { status: 200, body: updated as any };
      },
    );
  }

  assembleFreight(call: OperationCall<unknown>) {
    return this.run.checked(
      'kargo-freight-assemble',
      call,
      manualFreight,
      async op => {
        const warehouse = await this.warehouseOf(op, op.params.warehouse!);
        if (warehouse.spec?.freightCreationPolicy !== 'Manual') {
          throw new ConflictError(
            `Warehouse "${
              warehouse.metadata!.name
            }" creates freight automatically; set its freight creation policy to Manual to assemble freight by hand`,
          );
        }
        const discovered = (warehouse.status?.discoveredArtifacts ??
          {}) as Discovered;
        const images = (op.body.images ?? []).map(i => {
          const ref = discovered.images
            ?.find(d => d.repoURL === i.repoURL)
            ?.references?.find(r => r.tag === i.tag);
          if (!ref)
            throw new InputError(
              `image ${i.repoURL}:${i.tag} was not discovered`,
            );
          return { repoURL: i.repoURL, tag: i.tag, digest: ref.digest };
        });
        const commits = (op.body.commits ?? []).map(c => {
          const found = discovered.git
            ?.find(d => d.repoURL === c.repoURL)
            ?.commits?.find(x => x.id === c.id);
          if (!found)
            throw new InputError(
              `commit ${c.id} of ${c.repoURL} was not discovered`,
            );
          return {
            repoURL: c.repoURL,
            id: c.id,
            tag: found.tag,
            branch: found.branch,
            message: found.subject,
          };
        });
        const charts = (op.body.charts ?? []).map(c => {
          const found = discovered.charts?.find(
            d => d.repoURL === c.repoURL && (d.name ?? '') === (c.name ?? ''),
          );
          if (!found?.versions?.includes(c.version)) {
            throw new InputError(
              `chart ${c.name ?? c.repoURL} ${c.version} was not discovered`,
            );
          }
          return c;
        });
        const result = await op.writer.createResources(
          JSON.stringify({
            apiVersion: 'kargo.akuity.io/v1alpha1',
            kind: 'Freight',
            metadata: { namespace: op.project },
            origin: { kind: 'Warehouse', name: warehouse.metadata!.name },
            images,
            commits,
            charts,
          }),
        );
        const created = result.results?.[0] as any;
        op.meta.freight = created?.createdResourceManifest?.metadata?.name;
        return { status: 201, body: created?.createdResourceManifest };
      },
    );
  }
}
