import YAML from 'yaml';
import type {
  Freight,
  Project,
  Promotion,
  Stage,
} from '@kargo-backstage/plugin-kargo-common';
import { Clock, SeedingClock } from './clock';
import { condition } from './controller/conditions';
import { normalizeDurations } from './controller/durations';
import { recordEvent } from './controller/events';
import {
  createFreight,
  createFreightResource,
  FREIGHT_BY_ALIAS,
  resolveFreight,
} from './controller/freight';
import { PullRequest } from './controller/promotionSteps';
import { advancePromotion, PROMOTION_TERMINAL } from './controller/promotions';
import { mergePullRequest, openPullRequest } from './controller/pullRequests';
import { ArtifactRegistry } from './controller/registry';
import {
  autoPromote,
  autoPromotionEnabled,
  initStageStatus,
  newestAvailableFreight,
  reconcileStage,
} from './controller/stages';
import {
  discoverWarehouse,
  reconcileWarehouses,
} from './controller/warehouses';
import { SimulatedWorkloads } from './controller/workloads';
import { loadFixture } from './fixtures/seed';
import { SimulatedApiTokens } from './http/apiTokens';
import { SimulatedCredentials } from './http/credentials';
import { HttpError } from './http/HttpError';
import { SimulatedRoles } from './http/roles';
import {
  abortPromotion,
  abortVerification,
  approve,
  refresh,
  reverify,
} from './server/operations';
import { Promote, promote, promoteDownstream } from './server/promote';
import { KargoObject, kindOf, ResourceStore } from './store/ResourceStore';

export {
  ABORT_ANNOTATION,
  ALIAS_LABEL,
  CREATE_ACTOR_ANNOTATION,
  REFRESH_ANNOTATION,
  REVERIFY_ANNOTATION,
} from './controller/annotations';

export interface KargoSimulatorOptions {
  clock?: Clock;
  /** Fixture projects to load: names of files in src/fixtures (default kargo-demo, microservices). */
  projects?: string[];
  /** Outcome of each verification run; default Successful. */
  verificationOutcome?: (
    project: string,
    stage: string,
  ) => 'Successful' | 'Failed';
}

/**
 * The arguments of an operation implemented outside the class, after the simulator itself:
 * the methods that hand them on keep the operation's own signature.
 */
type OperationArgs<F> = F extends (
  sim: KargoSimulator,
  ...args: infer A
) => unknown
  ? A
  : never;

/**
 * A test double of a Kargo control plane: the resources Kargo's API server serves, and the
 * controllers that move them (warehouse discovery, promotions with their steps, verification,
 * auto-promotion). Time advances in ticks, so tests drive it deterministically.
 *
 * This class is the facade: the controllers live in src/controller (one module per Kargo
 * reconciler), the API server's checks in src/server, fixture seeding in src/fixtures/seed.ts.
 */
export class KargoSimulator {
  readonly clock: Clock;
  readonly store: ResourceStore;
  readonly registry: ArtifactRegistry;
  readonly pullRequests = new Map<number, PullRequest>();
  /** Project roles and their claim grants (Kargo's rbac API). */
  readonly roles = new SimulatedRoles();
  /** Repository credentials of the projects (write-only secrets). */
  readonly credentials = new SimulatedCredentials(() => this.clock.isoNow());
  /** API tokens of Kargo roles (ServiceAccount token Secrets), usable as bearer tokens. */
  readonly apiTokens = new SimulatedApiTokens(() => this.clock.isoNow());
  /** What the stages' Argo CD applications run, for the Kubernetes read API at /kubernetes. */
  readonly workloads = new SimulatedWorkloads(this);
  readonly events: KargoObject[] = [];
  /** Stages whose next promotion step fails, with the message to fail with. */
  readonly failNextPromotion = new Map<string, string>();
  autoPromotion = true;
  private lastDiscovery = new Map<string, number>();
  private readonly verificationOutcome: NonNullable<
    KargoSimulatorOptions['verificationOutcome']
  >;

  constructor(options: KargoSimulatorOptions = {}) {
    this.clock = options.clock ?? new SeedingClock();
    this.store = new ResourceStore(this.clock);
    this.store.addIndex(FREIGHT_BY_ALIAS, 'Freight', f =>
      typeof f.alias === 'string' ? f.alias : undefined,
    );
    this.registry = new ArtifactRegistry(this.clock);
    this.verificationOutcome =
      options.verificationOutcome ?? (() => 'Successful');
    for (const project of options.projects ?? ['kargo-demo', 'microservices']) {
      this.loadFixture(project);
    }
  }

  // ---- resources ---------------------------------------------------------------------------

  loadFixture(name: string): void {
    loadFixture(this, name);
  }

  /** Creates every Kargo resource of a multi-document YAML (or JSON) text, in order. */
  applyManifests(text: string): KargoObject[] {
    return YAML.parseAllDocuments(text)
      .map(doc => doc.toJS() as KargoObject)
      .filter(Boolean)
      .map(object => this.createResource(object));
  }

  createResource(object: KargoObject): KargoObject {
    const kind = kindOf(object.kind);
    if (!kind) throw new HttpError(400, `unsupported kind "${object.kind}"`);
    if (kind === 'Freight')
      return createFreightResource(this, object as Freight);
    normalizeDurations(kind, object);
    const created = this.store.create(kind, object);
    if (kind === 'Stage') initStageStatus(this, created as Stage);
    if (kind === 'Project') {
      this.store.update<Project>('Project', '', created.metadata!.name!, p => {
        p.status = {
          conditions: [condition(this.clock, 'Ready', 'True', 'Ready')],
        } as Project['status'];
      });
    }
    return created;
  }

  // ---- the control loop --------------------------------------------------------------------

  /** One pass of every controller: warehouses, promotions, stages, then auto-promotion. */
  tick(): void {
    reconcileWarehouses(this, this.lastDiscovery);
    for (const promotion of this.store.scan<Promotion>('Promotion')) {
      if (!PROMOTION_TERMINAL.includes(promotion.status?.phase ?? ''))
        advancePromotion(this, promotion);
    }
    for (const stage of this.store.scan<Stage>('Stage')) {
      reconcileStage(this, stage, this.verificationOutcome);
    }
    if (this.autoPromotion) autoPromote(this);
  }

  /** Ticks until nothing is left to do (bounded), calling `between` after each tick. */
  runUntilIdle(between?: () => void, maxTicks = 200): void {
    for (let i = 0; i < maxTicks; i++) {
      const before = this.store.currentResourceVersion();
      this.tick();
      between?.();
      if (this.store.currentResourceVersion() === before) return;
    }
  }

  discoverWarehouse(
    project: string,
    name: string,
    refreshToken?: string,
  ): Freight | undefined {
    return discoverWarehouse(
      this,
      this.lastDiscovery,
      project,
      name,
      refreshToken,
    );
  }

  /** Creates Freight unless the same content already exists (names are content hashes). */
  createFreight(project: string, freight: Freight): Freight | undefined {
    return createFreight(this, project, freight);
  }

  /** GET .../freight/{name-or-alias}: by name, else by the alias label. */
  resolveFreight(project: string, nameOrAlias: string): Freight {
    return resolveFreight(this, project, nameOrAlias);
  }

  // ---- promotions --------------------------------------------------------------------------

  /** POST .../stages/{stage}/promotions, with the checks of Kargo's handler and webhook. */
  promote(
    project: string,
    stageName: string,
    target: Promote,
    actor: string,
  ): Promotion {
    return promote(this, project, stageName, target, actor);
  }

  /** POST .../stages/{stage}/promotions/downstream: a Promotion for every downstream stage. */
  promoteDownstream(...args: OperationArgs<typeof promoteDownstream>) {
    return promoteDownstream(this, ...args);
  }

  /** Whether the project's promotion policies enable auto-promotion for the stage (see controller/promotionPolicies). */
  autoPromotionEnabled(stage: Stage): boolean {
    return autoPromotionEnabled(this, stage);
  }

  /** The auto-promotion candidate of an origin: what promoting by origin picks. */
  newestAvailableFreight(
    project: string,
    stage: Stage,
    origin: { kind?: string; name?: string },
  ): Freight | undefined {
    return newestAvailableFreight(this, project, stage, origin);
  }

  // ---- small operations the API server exposes --------------------------------------------

  /** POST .../freight/{name-or-alias}/approve?stage= */
  approve(...args: OperationArgs<typeof approve>): void {
    approve(this, ...args);
  }

  /** POST .../promotions/{p}/abort */
  abortPromotion(...args: OperationArgs<typeof abortPromotion>): void {
    abortPromotion(this, ...args);
  }

  /** POST .../stages/{s}/verification */
  reverify(...args: OperationArgs<typeof reverify>): void {
    reverify(this, ...args);
  }

  /** POST .../stages/{s}/verification/abort */
  abortVerification(...args: OperationArgs<typeof abortVerification>): void {
    abortVerification(this, ...args);
  }

  /** POST .../{stages|warehouses|promotions}/{n}/refresh */
  refresh(
    kind: 'Stage' | 'Warehouse' | 'Promotion',
    project: string,
    name: string,
  ): void {
    refresh(this, kind, project, name);
  }

  // ---- the simulated git host and the event log -------------------------------------------

  openPullRequest(repoURL: string): PullRequest {
    return openPullRequest(this, repoURL);
  }

  mergePullRequest(id: number): PullRequest {
    return mergePullRequest(this, id);
  }

  /** A Kubernetes Event about a Kargo object, as `GET .../events` lists them. */
  recordEvent(...args: OperationArgs<typeof recordEvent>) {
    recordEvent(this, ...args);
  }
}
