import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { ObjectMeta } from '@kargo-backstage/plugin-kargo-common';
import { Clock } from '../clock';
import { HttpError } from '../http/HttpError';

/** The Kargo kinds the simulator keeps (group kargo.akuity.io/v1alpha1, except Event). */
export type Kind =
  | 'Project'
  | 'ProjectConfig'
  | 'Warehouse'
  | 'Freight'
  | 'Stage'
  | 'Promotion'
  | 'AnalysisTemplate'
  | 'PromotionTask';

export interface KargoObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  [field: string]: unknown;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  resourceVersion: number;
  type: WatchEventType;
  kind: Kind;
  namespace: string;
  object: KargoObject;
}

const KIND_FROM_LOWER: Record<string, Kind> = {
  project: 'Project',
  projectconfig: 'ProjectConfig',
  warehouse: 'Warehouse',
  freight: 'Freight',
  stage: 'Stage',
  promotion: 'Promotion',
  analysistemplate: 'AnalysisTemplate',
  promotiontask: 'PromotionTask',
};

export function kindOf(value: unknown): Kind | undefined {
  return typeof value === 'string'
    ? KIND_FROM_LOWER[value.toLowerCase()]
    : undefined;
}

const clone = <T>(value: T): T => structuredClone(value);

interface FieldIndex {
  kind: Kind;
  field: (object: KargoObject) => string | undefined;
  /** namespace → value → the names of the objects holding the value. */
  names: Map<string, Map<string, Set<string>>>;
}

function indexObject(
  index: FieldIndex,
  object: KargoObject,
  change: 'add' | 'delete',
) {
  const value = index.field(object);
  if (value === undefined) return;
  const namespace = object.metadata!.namespace ?? '';
  const values = index.names.get(namespace) ?? new Map<string, Set<string>>();
  const names = values.get(value) ?? new Set<string>();
  if (change === 'add') names.add(object.metadata!.name!);
  else names.delete(object.metadata!.name!);
  if (names.size) values.set(value, names);
  else values.delete(value);
  index.names.set(namespace, values);
}

/**
 * Kargo's resources as etcd would keep them: one resourceVersion counter for everything, a
 * bounded history of changes for watches to resume from, deep copies in and out.
 */
export class ResourceStore {
  private resourceVersion = 1000;
  /**
   * The objects by kind ("namespace/name" → object) and by kind and namespace ("kind/namespace"
   * → name → object), each in creation order: a controller scanning its stages' promotions
   * must not walk thousands of freight.
   */
  private readonly kinds = new Map<Kind, Map<string, KargoObject>>();
  private readonly namespaces = new Map<string, Map<string, KargoObject>>();
  /** Field indexes by name (addIndex). */
  private readonly indexes = new Map<string, FieldIndex>();
  private readonly history: StoreEvent[] = [];
  private readonly emitter = new EventEmitter();

  constructor(
    private readonly clock: Clock,
    private readonly historyLimit = 10_000,
  ) {
    this.emitter.setMaxListeners(0);
  }

  currentResourceVersion(): string {
    return String(this.resourceVersion);
  }

  private objects(
    kind: Kind,
    namespace?: string,
  ): ReadonlyMap<string, KargoObject> {
    return (
      (namespace === undefined
        ? this.kinds.get(kind)
        : this.namespaces.get(`${kind}/${namespace}`)) ?? new Map()
    );
  }

  /** Stores (or replaces in place) an object, keeping both maps and the field indexes. */
  private put(
    kind: Kind,
    namespace: string,
    name: string,
    object: KargoObject,
  ) {
    const previous = this.objects(kind, namespace).get(name);
    if (!this.kinds.has(kind)) this.kinds.set(kind, new Map());
    this.kinds.get(kind)!.set(`${namespace}/${name}`, object);
    const key = `${kind}/${namespace}`;
    if (!this.namespaces.has(key)) this.namespaces.set(key, new Map());
    this.namespaces.get(key)!.set(name, object);
    this.reindex(kind, previous, object);
  }

  private remove(kind: Kind, namespace: string, name: string) {
    const previous = this.objects(kind, namespace).get(name);
    this.kinds.get(kind)?.delete(`${namespace}/${name}`);
    this.namespaces.get(`${kind}/${namespace}`)?.delete(name);
    this.reindex(kind, previous, undefined);
  }

  get<T extends KargoObject>(kind: Kind, namespace: string, name: string) {
    const object = this.objects(kind, namespace).get(name);
    return object ? (clone(object) as T) : undefined;
  }

  /** Like get, but a missing object is a 404 worded as Kargo's cached client words it. */
  require<T extends KargoObject>(kind: Kind, namespace: string, name: string) {
    const object = this.get<T>(kind, namespace, name);
    if (!object) {
      throw new HttpError(404, `${kind}.kargo.akuity.io "${name}" not found`);
    }
    return object;
  }

  list<T extends KargoObject>(kind: Kind, namespace?: string): T[] {
    return [...this.objects(kind, namespace).values()]
      .map(object => clone(object) as T)
      .sort((a, b) => a.metadata!.name!.localeCompare(b.metadata!.name!));
  }

  /**
   * The stored objects themselves, without copies, for read-only scans in the controllers'
   * hot paths (thousands of freight). Callers must not modify them.
   */
  scan<T extends KargoObject>(kind: Kind, namespace?: string): readonly T[] {
    return [...this.objects(kind, namespace).values()] as T[];
  }

  create<T extends KargoObject>(kind: Kind, object: T): T {
    const meta = object.metadata ?? {};
    const namespace = kind === 'Project' ? '' : meta.namespace ?? '';
    const name = meta.name;
    if (!name) {
      throw new HttpError(400, `${kind} name is required`);
    }
    if (this.objects(kind, namespace).has(name)) {
      throw new HttpError(
        409,
        `${kind.toLowerCase()}s.kargo.akuity.io "${name}" already exists`,
      );
    }
    const stored = clone(object);
    stored.apiVersion = 'kargo.akuity.io/v1alpha1';
    stored.kind = kind;
    stored.metadata = {
      ...meta,
      ...(kind === 'Project' ? {} : { namespace }),
      uid: randomUUID(),
      creationTimestamp: meta.creationTimestamp ?? this.clock.isoNow(),
      generation: 1,
      resourceVersion: this.nextResourceVersion(),
    };
    this.put(kind, namespace, name, stored);
    this.record('ADDED', kind, namespace, stored);
    return clone(stored) as T;
  }

  /** The stored object itself; a 404 as the API server words it (`stages.kargo.akuity.io`) where there is none. */
  private stored(kind: Kind, namespace: string, name: string): KargoObject {
    const current = this.objects(kind, namespace).get(name);
    if (!current) {
      throw new HttpError(
        404,
        `${kind.toLowerCase()}s.kargo.akuity.io "${name}" not found`,
      );
    }
    return current;
  }

  /**
   * Applies a change to a stored object. The generation goes up when anything outside
   * metadata and status changes, as Kubernetes does for spec changes.
   */
  update<T extends KargoObject>(
    kind: Kind,
    namespace: string,
    name: string,
    mutate: (object: T) => void,
  ): T {
    const current = this.stored(kind, namespace, name);
    const next = clone(current) as T;
    mutate(next);
    const specOf = (o: KargoObject) =>
      JSON.stringify({ ...o, metadata: undefined, status: undefined });
    next.metadata = {
      ...next.metadata,
      name,
      uid: current.metadata!.uid,
      creationTimestamp: current.metadata!.creationTimestamp,
      generation:
        (current.metadata!.generation ?? 1) +
        (specOf(current) === specOf(next) ? 0 : 1),
      resourceVersion: this.nextResourceVersion(),
    };
    this.put(kind, namespace, name, next);
    this.record('MODIFIED', kind, namespace, next);
    return clone(next);
  }

  delete(kind: Kind, namespace: string, name: string): KargoObject {
    const current = this.stored(kind, namespace, name);
    this.remove(kind, namespace, name);
    const gone = clone(current);
    gone.metadata = {
      ...gone.metadata,
      resourceVersion: this.nextResourceVersion(),
    };
    this.record('DELETED', kind, namespace, gone);
    return clone(gone);
  }

  /**
   * Changes after a resourceVersion, or undefined when that version is older than the
   * history kept (Kubernetes answers 410 Gone: the client must list again).
   */
  eventsSince(resourceVersion: number): StoreEvent[] | undefined {
    const oldest = this.history[0]?.resourceVersion;
    if (oldest !== undefined && resourceVersion < oldest - 1) {
      return undefined;
    }
    return this.history
      .filter(e => e.resourceVersion > resourceVersion)
      .map(e => ({ ...e, object: clone(e.object) }));
  }

  subscribe(listener: (event: StoreEvent) => void): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }

  /**
   * Indexes a field of a kind, as a controller's cache does (controller-runtime IndexField), so
   * that `indexedNames` finds the objects holding a value without scanning the kind.
   */
  addIndex(
    name: string,
    kind: Kind,
    field: (object: KargoObject) => string | undefined,
  ): void {
    const index: FieldIndex = { kind, field, names: new Map() };
    this.indexes.set(name, index);
    for (const object of this.objects(kind).values()) {
      indexObject(index, object, 'add');
    }
  }

  /** The names of the namespace's objects whose indexed field has the value. */
  indexedNames(
    index: string,
    namespace: string,
    value: string,
  ): ReadonlySet<string> {
    const found = this.indexes.get(index);
    if (!found) throw new Error(`no index "${index}"`);
    return found.names.get(namespace)?.get(value) ?? new Set();
  }

  private reindex(
    kind: Kind,
    before: KargoObject | undefined,
    after: KargoObject | undefined,
  ) {
    for (const index of this.indexes.values()) {
      if (index.kind !== kind) continue;
      if (before) indexObject(index, before, 'delete');
      if (after) indexObject(index, after, 'add');
    }
  }

  private nextResourceVersion(): string {
    this.resourceVersion += 1;
    return String(this.resourceVersion);
  }

  private record(
    type: WatchEventType,
    kind: Kind,
    namespace: string,
    object: KargoObject,
  ) {
    const event: StoreEvent = {
      resourceVersion: Number(object.metadata!.resourceVersion),
      type,
      kind,
      namespace,
      object: clone(object),
    };
    this.history.push(event);
    if (this.history.length > this.historyLimit) {
      this.history.splice(0, this.history.length - this.historyLimit);
    }
    this.emitter.emit('event', { ...event, object: clone(object) });
  }
}
