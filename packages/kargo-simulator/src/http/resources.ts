import YAML from 'yaml';
import { KargoSimulator } from '../KargoSimulator';
import { Kind, KargoObject, kindOf } from '../store/ResourceStore';
import { HttpError } from './HttpError';
import { normalizeDurations } from '../controller/durations';
import { warehouseProblems } from '../controller/warehouseValidation';
import { checkProjectConfig } from '../controller/projectConfigValidation';

/**
 * The body of the /resources routes, read as Kargo reads it whatever the Content-Type: YAML
 * documents, JSON objects, or a JSON array. Empty documents are skipped.
 */
export function parseManifests(text: string): KargoObject[] {
  let docs: unknown[];
  if (text.trim().startsWith('[')) {
    try {
      docs = JSON.parse(text);
    } catch (error) {
      throw new HttpError(
        400,
        `error decoding JSON array: ${(error as Error).message}`,
      );
    }
  } else {
    const parsed = YAML.parseAllDocuments(text);
    const broken = parsed.flatMap(d => d.errors);
    if (broken.length) {
      throw new HttpError(400, `error decoding manifest: ${broken[0].message}`);
    }
    docs = parsed.map(d => d.toJS());
  }
  const manifests = docs.filter(
    (d): d is KargoObject => !!d && typeof d === 'object' && !Array.isArray(d),
  );
  if (!manifests.length)
    throw new HttpError(400, 'no resources found in request body');
  return manifests;
}

export type ResourceVerb = 'create' | 'update' | 'delete';

interface ResourceContext {
  simulator: KargoSimulator;
  actor: string;
  upsert: boolean;
  /** Throws 403 when the caller may not do this to that resource (namespace "" for Projects). */
  authorize(
    verb: ResourceVerb | 'get',
    kind: Kind,
    namespace: string,
    name: string,
  ): void;
  /**
   * Projects created earlier in the same request: Kargo writes what goes into them with its own
   * rights, since the project's permissions do not exist yet (create_resource_v1alpha1.go).
   */
  createdProjects?: Set<string>;
}

const isProject = (o: KargoObject) => kindOf(o.kind) === 'Project';

function applyOne(verb: ResourceVerb, o: KargoObject, ctx: ResourceContext) {
  const kind = kindOf(o.kind);
  if (!kind)
    throw new HttpError(
      400,
      `${verb} resource: no matches for kind "${o.kind}"`,
    );
  const name = o.metadata?.name ?? '';
  const namespace = kind === 'Project' ? '' : o.metadata?.namespace ?? '';
  const store = ctx.simulator.store;
  // Kargo reads the object first (create, update), then writes it, each as the caller.
  const asCaller = !ctx.createdProjects?.has(namespace);
  if (asCaller && verb !== 'delete')
    ctx.authorize('get', kind, namespace, name);
  const existing = store.get(kind, namespace, name);
  // What it writes: nothing over an existing object on create; on update, an upsert creates.
  let write: ResourceVerb | undefined = verb;
  if (verb === 'create' && existing) write = undefined;
  if (verb === 'update' && !existing) write = ctx.upsert ? 'create' : undefined;
  if (asCaller && write) ctx.authorize(write, kind, namespace, name);
  if (kind !== 'Project' && !store.get('Project', '', namespace)) {
    // Kubernetes refuses objects in a namespace that does not exist.
    throw new HttpError(404, `namespaces "${namespace}" not found`);
  }
  if (kind === 'ProjectConfig' && verb !== 'delete') checkProjectConfig(o);
  if (kind === 'Warehouse' && verb !== 'delete') {
    const problems = warehouseProblems(o.spec);
    if (problems.length) {
      throw new HttpError(
        400,
        `admission webhook "warehouse.kargo.akuity.io" denied the request: ${problems.join(
          '; ',
        )}`,
      );
    }
  }
  const create = () => {
    const manifest = structuredClone(o);
    if (kind === 'Project' || kind === 'Promotion') {
      manifest.metadata = {
        ...manifest.metadata,
        annotations: {
          ...manifest.metadata?.annotations,
          'kargo.akuity.io/create-actor': ctx.actor,
        },
      };
    }
    return { createdResourceManifest: ctx.simulator.createResource(manifest) };
  };
  if (verb === 'create') {
    if (existing) {
      throw new HttpError(
        409,
        `create resource: ${kind.toLowerCase()}.kargo.akuity.io "${name}" already exists`,
      );
    }
    return create();
  }
  if (verb === 'update') {
    if (!existing) {
      if (!ctx.upsert) throw new HttpError(404, 'resource does not exist');
      return create();
    }
    const updated = store.update(kind, namespace, name, current => {
      for (const key of Object.keys(current)) {
        if (key !== 'metadata' && key !== 'status') delete current[key];
      }
      const { metadata, status: _status, ...rest } = o;
      Object.assign(current, rest);
      normalizeDurations(kind, current);
      current.metadata = {
        ...current.metadata,
        labels: metadata?.labels,
        annotations: metadata?.annotations,
      };
    });
    return { updatedResourceManifest: updated };
  }
  if (!existing) {
    throw new HttpError(
      404,
      `${kind.toLowerCase()}s.kargo.akuity.io "${name}" not found`,
    );
  }
  store.delete(kind, namespace, name);
  return { deletedResourceManifest: o };
}

/**
 * Applies each manifest as Kargo's resource handlers do: Projects first on create/update and
 * last on delete; with one manifest its error is the response's, with several each result
 * carries its own.
 */
export function applyManifests(
  verb: ResourceVerb,
  manifests: KargoObject[],
  ctx: ResourceContext,
) {
  const ordered =
    verb === 'delete'
      ? [
          ...manifests.filter(o => !isProject(o)),
          ...manifests.filter(isProject),
        ]
      : [
          ...manifests.filter(isProject),
          ...manifests.filter(o => !isProject(o)),
        ];
  if (ordered.length === 1) return [applyOne(verb, ordered[0], ctx)];
  const withCreated = { ...ctx, createdProjects: new Set<string>() };
  return ordered.map(o => {
    try {
      const result = applyOne(verb, o, withCreated);
      if (isProject(o) && 'createdResourceManifest' in result) {
        withCreated.createdProjects.add(o.metadata?.name ?? '');
      }
      return result;
    } catch (error) {
      return { error: (error as Error).message };
    }
  });
}
