import { createHash, randomUUID } from 'node:crypto';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import fs from 'node:fs';
import path from 'node:path';
import { ulid } from 'ulid';
import YAML from 'yaml';
import type {
  Freight,
  FreightReference,
  KargoSchemas,
  Project,
  ProjectConfig,
  Promotion,
  PromotionStep,
  Stage,
  VerificationInfo,
  Warehouse,
} from '@kargo-backstage/plugin-kargo-common';
import { Clock, SeedingClock } from './clock';
import {
  isControlFlow,
  isFreightAvailable,
  listFreightAvailableToStage,
  originKey,
} from './controller/availability';
import {
  effectiveAutoPromotionHolds,
  selectAutoPromotionCandidates,
  shouldAutoPromote,
  stampHoldIntent,
  syncAutoPromotionHolds,
} from './controller/autoPromotion';
import { isAutoPromotionEnabled } from './controller/promotionPolicies';
import {
  isTerminalVerification,
  startVerification,
  verificationAllowsNextPromotion,
  verifiedCondition,
  VERIFICATION_TERMINAL,
} from './controller/verification';
import { discover } from './controller/discovery';
import {
  formatDuration,
  normalizeDurations,
  parseDuration,
} from './controller/durations';
import { freightAlias, freightName } from './controller/freightIdentity';
import { SimulatedRoles } from './http/roles';
import { SimulatedCredentials } from './http/credentials';
import { SimulatedApiTokens } from './http/apiTokens';
import { PullRequest, runStep } from './controller/promotionSteps';
import { ArtifactRegistry } from './controller/registry';
import { argocdAppsByStep, SimulatedWorkloads } from './controller/workloads';
import { HttpError } from './http/HttpError';
import {
  Kind,
  KargoObject,
  kindOf,
  ResourceStore,
} from './store/ResourceStore';

export const ALIAS_LABEL = 'kargo.akuity.io/alias';
export const REFRESH_ANNOTATION = 'kargo.akuity.io/refresh';
export const REVERIFY_ANNOTATION = 'kargo.akuity.io/reverify';
export const ABORT_ANNOTATION = 'kargo.akuity.io/abort';
export const CREATE_ACTOR_ANNOTATION = 'kargo.akuity.io/create-actor';
const TERMINAL = ['Succeeded', 'Failed', 'Errored', 'Aborted'];
/** The event actor of what Kargo's controller does (FormatEventControllerActor). */
const CONTROLLER_ACTOR = 'controller:kargo-controller';

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

/** A seed step from a fixture's `*.seed.yaml`. */
interface SeedStep {
  publish?: {
    image?: string;
    tag?: string;
    git?: string;
    message?: string;
    author?: string;
    chart?: string;
    version?: string;
  };
  discover?: string;
  promote?: { stage: string; mergePullRequest?: boolean };
  soak?: string;
}

type Condition = KargoSchemas['V1Condition'];

/** The JSON value of Kargo's reverify/abort annotations: {"id","actor"} or {"action","actor"}. */
function parseAnnotation(
  value: string | undefined,
): { id?: string; actor?: string; action?: string } | undefined {
  if (!value) return undefined;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

/** Kargo's ParseFreightOrigin: "Warehouse/<name>". */
function parseOrigin(text: string): { kind: string; name: string } {
  const parts = text.split('/');
  if (parts.length !== 2) {
    throw new HttpError(
      400,
      `invalid origin "${text}": invalid Freight origin string "${text}"`,
    );
  }
  if (parts[0] !== 'Warehouse') {
    throw new HttpError(
      400,
      `invalid origin "${text}": invalid Freight origin kind "${parts[0]}"`,
    );
  }
  if (!parts[1]) {
    throw new HttpError(
      400,
      `invalid origin "${text}": Freight origin name must not be empty`,
    );
  }
  return { kind: parts[0], name: parts[1] };
}

const FIXTURES_DIR = resolvePackagePath(
  '@kargo-backstage/kargo-simulator',
  'src/fixtures',
);

/** The body of PromoteToStage / PromoteDownstream: exactly one way to name the freight. */
type Promote = { freight?: string; freightAlias?: string; origin?: string };

/**
 * A test double of a Kargo control plane: the resources Kargo's API server serves, and the
 * controllers that move them (warehouse discovery, promotions with their steps, verification,
 * auto-promotion). Time advances in ticks, so tests drive it deterministically.
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
    this.registry = new ArtifactRegistry(this.clock);
    this.verificationOutcome =
      options.verificationOutcome ?? (() => 'Successful');
    for (const project of options.projects ?? ['kargo-demo', 'microservices']) {
      this.loadFixture(project);
    }
  }

  // ---- fixtures ----------------------------------------------------------------------------

  loadFixture(name: string): void {
    this.applyManifests(
      fs.readFileSync(path.join(FIXTURES_DIR, `${name}.yaml`), 'utf8'),
    );
    const seedFile = path.join(FIXTURES_DIR, `${name}.seed.yaml`);
    if (fs.existsSync(seedFile)) {
      this.seed(YAML.parse(fs.readFileSync(seedFile, 'utf8')) as SeedStep[]);
    }
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
      return this.createFreightResource(object as Freight);
    normalizeDurations(kind, object);
    const created = this.store.create(kind, object);
    if (kind === 'Stage') this.initStageStatus(created as Stage);
    if (kind === 'Project') {
      this.store.update<Project>('Project', '', created.metadata!.name!, p => {
        p.status = {
          conditions: [this.condition('Ready', 'True', 'Ready')],
        } as Project['status'];
      });
    }
    return created;
  }

  private seed(steps: SeedStep[]): void {
    const auto = this.autoPromotion;
    this.autoPromotion = false;
    const clock = this.clock instanceof SeedingClock ? this.clock : undefined;
    clock?.startReplay(Date.now() - 24 * 3_600_000);
    let project = '';
    for (const step of steps) {
      if (step.publish?.image)
        this.registry.publishImage(step.publish.image, step.publish.tag!);
      if (step.publish?.git)
        this.registry.publishCommit(step.publish.git, step.publish);
      if (step.publish?.chart)
        this.registry.publishChart(step.publish.chart, step.publish.version!);
      if (step.discover) {
        project = this.findNamespace('Warehouse', step.discover);
        this.discoverWarehouse(project, step.discover);
      }
      if (step.soak) this.advanceClock(parseDuration(step.soak));
      if (step.promote) {
        project = this.findNamespace('Stage', step.promote.stage);
        const stage = this.store.require<Stage>(
          'Stage',
          project,
          step.promote.stage,
        );
        for (const request of stage.spec.requestedFreight ?? []) {
          const freight = this.newestAvailableFreight(
            project,
            stage,
            request.origin,
          );
          if (!freight || freight.status?.currentlyIn?.[step.promote.stage])
            continue;
          const promotion = isControlFlow(stage)
            ? undefined
            : this.promote(
                project,
                step.promote.stage,
                { freight: freight.metadata!.name },
                'admin',
              );
          this.runUntilIdle(() => {
            const prs = [...this.pullRequests.values()].filter(pr => pr.open);
            if (step.promote!.mergePullRequest)
              prs.forEach(pr => this.mergePullRequest(pr.id));
          });
          if (promotion) this.advanceClock(60_000);
        }
      }
    }
    clock?.endReplay();
    this.autoPromotion = auto;
  }

  private advanceClock(ms: number) {
    (this.clock as Clock & { advance?: (ms: number) => void }).advance?.(ms);
  }

  private findNamespace(kind: 'Warehouse' | 'Stage', name: string): string {
    const found = this.store.scan(kind).find(o => o.metadata!.name === name);
    if (!found) throw new Error(`seed refers to unknown ${kind} ${name}`);
    return found.metadata!.namespace!;
  }

  // ---- the control loop --------------------------------------------------------------------

  /** One pass of every controller. */
  tick(): void {
    const now = this.clock.now();
    for (const warehouse of this.store.scan<Warehouse>('Warehouse')) {
      const ns = warehouse.metadata!.namespace!;
      const name = warehouse.metadata!.name!;
      const refresh = warehouse.metadata!.annotations?.[REFRESH_ANNOTATION];
      const refreshRequested =
        refresh && refresh !== warehouse.status?.lastHandledRefresh;
      const last = this.lastDiscovery.get(`${ns}/${name}`) ?? 0;
      const due =
        now - last >= parseDuration(warehouse.spec.interval ?? '5m0s');
      if (refreshRequested || due) this.discoverWarehouse(ns, name, refresh);
    }
    for (const promotion of this.store.scan<Promotion>('Promotion')) {
      if (!TERMINAL.includes(promotion.status?.phase ?? ''))
        this.advancePromotion(promotion);
    }
    for (const stage of this.store.scan<Stage>('Stage')) {
      this.reconcileStage(stage);
    }
    if (this.autoPromotion) this.autoPromote();
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
    const warehouse = this.store.require<Warehouse>('Warehouse', project, name);
    this.lastDiscovery.set(`${project}/${name}`, this.clock.now());
    const { discoveredArtifacts, freight } = discover(
      warehouse,
      this.registry,
      this.clock.isoNow(),
    );
    let created: Freight | undefined;
    if (freight && warehouse.spec.freightCreationPolicy !== 'Manual') {
      created = this.createFreight(project, freight);
    }
    this.store.update<Warehouse>('Warehouse', project, name, w => {
      w.status = {
        ...w.status,
        observedGeneration: w.metadata!.generation,
        discoveredArtifacts: discoveredArtifacts as never,
        ...(created ? { lastFreightID: created.metadata!.name } : {}),
        ...(refreshToken ? { lastHandledRefresh: refreshToken } : {}),
        conditions: [this.condition('Ready', 'True', 'DiscoverySucceeded')],
      };
    });
    return created;
  }

  /**
   * Freight created through the API (e.g. stand-alone image writeback): as Kargo's webhooks do,
   * the name is the content hash and the origin warehouse must exist.
   */
  private createFreightResource(freight: Freight): Freight {
    const project = freight.metadata?.namespace ?? '';
    const origin = freight.origin;
    if (
      origin?.kind !== 'Warehouse' ||
      !this.store.get('Warehouse', project, origin.name)
    ) {
      throw new HttpError(
        422,
        `admission webhook "freight.kargo.akuity.io" denied the request: Freight.kargo.akuity.io "" is invalid: origin: Invalid value: "${
          origin?.name ?? ''
        }": Warehouse "${
          origin?.name ?? ''
        }" not found in namespace "${project}"`,
      );
    }
    if (
      !freight.images?.length &&
      !freight.commits?.length &&
      !freight.charts?.length
    ) {
      throw new HttpError(
        422,
        'admission webhook "freight.kargo.akuity.io" denied the request: freight must contain at least one commit, image, or chart',
      );
    }
    const { metadata: _metadata, status: _status, ...content } = freight;
    return (
      this.createFreight(project, content as Freight) ??
      structuredClone(
        this.store.get<Freight>('Freight', project, freightName(freight))!,
      )
    );
  }

  /** Creates Freight unless the same content already exists (names are content hashes). */
  createFreight(project: string, freight: Freight): Freight | undefined {
    const name = freightName(freight);
    if (this.store.get('Freight', project, name)) return undefined;
    const taken = new Set(
      this.store.scan<Freight>('Freight', project).map(f => f.alias ?? ''),
    );
    const alias = freightAlias(name, taken);
    const created = this.store.create<Freight>('Freight', {
      ...freight,
      metadata: { name, namespace: project, labels: { [ALIAS_LABEL]: alias } },
      alias,
      discoveredAt: this.clock.isoNow(),
      status: {},
    });
    this.recordEvent(
      project,
      'Freight',
      name,
      'FreightCreated',
      `Freight ${name} (${alias}) created from Warehouse ${freight.origin.name}`,
    );
    return created;
  }

  // ---- promotions --------------------------------------------------------------------------

  /** GET .../freight/{name-or-alias}: by name, else by the alias label. */
  resolveFreight(project: string, nameOrAlias: string): Freight {
    const byName = this.store.get<Freight>('Freight', project, nameOrAlias);
    if (byName) return byName;
    const byAlias = this.store
      .scan<Freight>('Freight', project)
      .find(f => f.metadata?.labels?.[ALIAS_LABEL] === nameOrAlias);
    if (!byAlias) {
      throw new HttpError(
        404,
        `Freight with name or alias "${nameOrAlias}" not found in project "${project}"`,
      );
    }
    return structuredClone(byAlias);
  }

  private freightByName(project: string, name: string): Freight {
    const freight = this.store.get<Freight>('Freight', project, name);
    if (!freight) {
      throw new HttpError(
        404,
        `Freight "${name}" not found in project "${project}"`,
      );
    }
    return freight;
  }

  private freightByAlias(project: string, alias: string): Freight {
    const freight = this.store
      .scan<Freight>('Freight', project)
      .find(f => f.metadata?.labels?.[ALIAS_LABEL] === alias);
    if (!freight) {
      throw new HttpError(
        404,
        `Freight with alias "${alias}" not found in project "${project}"`,
      );
    }
    return structuredClone(freight);
  }

  private requireStage(project: string, name: string): Stage {
    const stage = this.store.get<Stage>('Stage', project, name);
    if (!stage) {
      throw new HttpError(
        404,
        `Stage "${name}" not found in project "${project}"`,
      );
    }
    return stage;
  }

  /**
   * POST .../stages/{stage}/promotions, with the checks of Kargo's handler and admission
   * webhook: exactly one of freight, freightAlias or origin ("Warehouse/<name>", resolved to the
   * auto-promotion candidate); the freight must be available to the stage; the stage must
   * have promotion steps.
   */
  promote(
    project: string,
    stageName: string,
    target: Promote,
    actor: string,
  ): Promotion {
    const named = [target.freight, target.freightAlias, target.origin].filter(
      Boolean,
    );
    if (named.length !== 1) {
      throw new HttpError(
        400,
        'exactly one of freight, freightAlias, or origin must be provided',
      );
    }
    const stage = this.requireStage(project, stageName);
    let freight: Freight;
    if (target.origin) {
      const origin = parseOrigin(target.origin);
      const candidate = this.newestAvailableFreight(project, stage, origin);
      if (!candidate) {
        throw new HttpError(
          422,
          `admission webhook "promotion.kargo.akuity.io" denied the request: Promotion.kargo.akuity.io "" is invalid: ` +
            `spec.origin: Invalid value: "${target.origin}": no auto-promotion candidate found for origin "${target.origin}" on Stage "${stageName}"`,
        );
      }
      freight = structuredClone(candidate);
    } else {
      freight = target.freight
        ? this.freightByName(project, target.freight)
        : this.freightByAlias(project, target.freightAlias!);
      if (!isFreightAvailable(stage, freight, this.clock.now())) {
        throw new HttpError(
          400,
          `Freight "${
            freight.metadata!.name
          }" is not available to Stage "${stageName}"`,
        );
      }
    }
    return this.createPromotion(project, stage, freight, actor);
  }

  /**
   * POST .../stages/{stage}/promotions/downstream: a Promotion for every stage that takes this
   * freight's origin from `stage`. Kargo authorizes `promote` on each downstream stage (the
   * callback), checks availability to all of them before creating any, and reports create
   * failures (e.g. a downstream without steps) next to what it created.
   */
  promoteDownstream(
    project: string,
    stageName: string,
    target: { freight?: string; freightAlias?: string },
    actor: string,
    authorizeStage: (stage: string) => void = () => {},
  ): { promotions: Promotion[]; errors?: string } {
    if ([target.freight, target.freightAlias].filter(Boolean).length !== 1) {
      throw new HttpError(
        400,
        'exactly one of freight or freightAlias must be provided',
      );
    }
    this.requireStage(project, stageName);
    const freight = target.freight
      ? this.freightByName(project, target.freight)
      : this.freightByAlias(project, target.freightAlias!);
    const downstream = this.store
      .list<Stage>('Stage', project)
      .filter(s =>
        s.spec.requestedFreight?.some(
          r =>
            originKey(r.origin) === originKey(freight.origin) &&
            r.sources?.stages?.includes(stageName),
        ),
      );
    if (!downstream.length) {
      throw new HttpError(404, `Stage "${stageName}" has no downstream stages`);
    }
    downstream.forEach(s => authorizeStage(s.metadata!.name!));
    const now = this.clock.now();
    const unavailable = downstream.find(
      s => !isFreightAvailable(s, freight, now),
    );
    if (unavailable) {
      throw new HttpError(
        400,
        `Freight "${
          freight.metadata!.name
        }" is not available to downstream Stage "${
          unavailable.metadata!.name
        }"`,
      );
    }
    const promotions: Promotion[] = [];
    const errors: string[] = [];
    for (const s of downstream) {
      try {
        promotions.push(this.createPromotion(project, s, freight, actor));
      } catch (error) {
        errors.push((error as Error).message);
      }
    }
    return errors.length
      ? { promotions, errors: errors.join('\n') }
      : { promotions };
  }

  /**
   * Creates a Promotion the way Kargo's API server and its mutating webhook shape it. `actor`
   * is the user; the controller's own (auto-)promotions name none (api.NewMinimalPromotion).
   */
  private createPromotion(
    project: string,
    stage: Stage,
    freight: Freight,
    actor: string | undefined,
  ): Promotion {
    const stageName = stage.metadata!.name!;
    if (isControlFlow(stage)) {
      throw new HttpError(
        422,
        `admission webhook "promotion.kargo.akuity.io" denied the request: Stage "${stageName}" in namespace "${project}" defines no promotion steps`,
      );
    }
    const name = `${stageName}.${ulid(
      this.clock.now(),
    ).toLowerCase()}.${freight.metadata!.name!.slice(0, 7)}`;
    const steps = (stage.spec.promotionTemplate?.spec?.steps ?? []).map(
      (step, i) => ({
        ...step,
        as: step.as || `step-${i + 1}`,
      }),
    );
    const vars = [
      ...(stage.spec.vars ?? []),
      ...(stage.spec.promotionTemplate?.spec?.vars ?? []),
    ];
    const manifest = {
      metadata: {
        name,
        generateName: 'promo-',
        namespace: project,
        annotations: {
          ...(actor ? { [CREATE_ACTOR_ANNOTATION]: actor } : {}),
          'kargo.akuity.io/stage': stageName,
        },
        labels: { 'kargo.akuity.io/stage': stageName },
        ownerReferences: [
          {
            apiVersion: 'kargo.akuity.io/v1alpha1',
            kind: 'Stage',
            name: stageName,
            uid: stage.metadata!.uid!,
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
      spec: {
        stage: stageName,
        freight: freight.metadata!.name!,
        ...(vars.length ? { vars } : {}),
        steps,
      },
      status: {},
    } as Promotion;
    stampHoldIntent(
      manifest,
      freight,
      this.autoPromotionCandidates(stage),
      this.autoPromotionEnabled(stage),
    );
    const promotion = this.store.create<Promotion>('Promotion', manifest);
    this.recordEvent(
      project,
      'Promotion',
      name,
      'PromotionCreated',
      `Promotion created for Stage "${stageName}" by "${
        actor ?? CONTROLLER_ACTOR
      }"`,
      {
        actor: actor ?? CONTROLLER_ACTOR,
        component: actor ? 'api' : 'kargo-controller',
      },
    );
    return promotion;
  }

  private freightRef(freight: Freight): FreightReference {
    return {
      name: freight.metadata!.name,
      origin: freight.origin,
      ...(freight.images ? { images: freight.images } : {}),
      ...(freight.commits ? { commits: freight.commits } : {}),
      ...(freight.charts ? { charts: freight.charts } : {}),
    };
  }

  private advancePromotion(promotion: Promotion): void {
    const ns = promotion.metadata!.namespace!;
    const name = promotion.metadata!.name!;
    const stageName = promotion.spec.stage;
    const now = this.clock.isoNow();

    if (promotion.metadata!.annotations?.[ABORT_ANNOTATION]) {
      this.finishPromotion(promotion, 'Aborted', 'Promotion aborted by user');
      return;
    }
    const phase = promotion.status?.phase;
    if (!phase || phase === 'Pending') {
      const busy =
        this.store
          .scan<Promotion>('Promotion', ns)
          .some(
            p => p.spec.stage === stageName && p.status?.phase === 'Running',
          ) ||
        !verificationAllowsNextPromotion(
          this.store.require<Stage>('Stage', ns, stageName),
        );
      if (busy) {
        if (!phase)
          this.store.update<Promotion>('Promotion', ns, name, p => {
            p.status = {
              phase: 'Pending',
              message: 'waiting for a running promotion to finish',
            };
          });
        return;
      }
      const freight = this.store.get<Freight>(
        'Freight',
        ns,
        promotion.spec.freight ?? '',
      );
      if (!freight) {
        this.finishPromotion(
          promotion,
          'Errored',
          `Freight "${promotion.spec.freight}" not found`,
        );
        return;
      }
      this.store.update<Promotion>('Promotion', ns, name, p => {
        p.status = {
          phase: 'Running',
          startedAt: now,
          currentStep: 0,
          freight: this.freightRef(freight),
          stepExecutionMetadata: [],
          state: {} as never,
        };
      });
      this.store.update<Stage>('Stage', ns, stageName, s => {
        s.status = {
          ...s.status,
          currentPromotion: { name, freight: this.freightRef(freight) },
          // assessHealth: no health is assessed while a Promotion is in progress.
          health: {
            status: 'Unknown',
            issues: [
              'Cannot assess health because a Promotion is currently in progress',
            ],
          },
          conditions: this.setCondition(
            this.setCondition(
              s.status?.conditions,
              'Promoting',
              'True',
              'ActivePromotion',
              `Promotion ${name} is running`,
            ),
            'Healthy',
            'Unknown',
            'ActivePromotion',
            'Stage has a Promotion in progress',
          ),
        };
      });
      this.recordEvent(
        ns,
        'Promotion',
        name,
        'PromotionRunning',
        `Promotion ${name} started`,
      );
      return;
    }

    // Running: one step per tick.
    const steps = promotion.spec.steps ?? [];
    const index = promotion.status?.currentStep ?? 0;
    const step = steps[index] as PromotionStep | undefined;
    if (!step) {
      this.finishPromotion(promotion, 'Succeeded', 'All steps completed');
      return;
    }
    const failure = this.failNextPromotion.get(`${ns}/${stageName}`);
    if (failure) {
      this.failNextPromotion.delete(`${ns}/${stageName}`);
      this.recordStep(promotion, index, 'Failed', failure);
      this.finishPromotion(
        this.store.require<Promotion>('Promotion', ns, name),
        'Failed',
        `step "${step.as}" failed: ${failure}`,
      );
      return;
    }
    const state = (promotion.status?.state ?? {}) as Record<string, unknown>;
    const result = runStep(step, {
      project: ns,
      stage: stageName,
      promotion: name,
      freight: promotion.spec.freight ?? '',
      state,
      openPullRequest: repoURL => this.openPullRequest(repoURL),
      pullRequest: id => this.pullRequests.get(id),
    });
    if (result.status === 'waiting') {
      const meta = promotion.status?.stepExecutionMetadata?.[index];
      if (!meta || meta.message !== result.message) {
        this.recordStep(promotion, index, 'Running', result.message);
      }
      return;
    }
    this.recordStep(promotion, index, 'Succeeded', undefined, result.output);
    const updated = this.store.require<Promotion>('Promotion', ns, name);
    if (index + 1 >= steps.length)
      this.finishPromotion(updated, 'Succeeded', 'All steps completed');
  }

  private recordStep(
    promotion: Promotion,
    index: number,
    status: string,
    message?: string,
    output?: Record<string, unknown>,
  ) {
    const now = this.clock.isoNow();
    const alias = promotion.spec.steps?.[index]?.as ?? `step-${index}`;
    this.store.update<Promotion>(
      'Promotion',
      promotion.metadata!.namespace!,
      promotion.metadata!.name!,
      p => {
        const metas = [...(p.status?.stepExecutionMetadata ?? [])];
        const previous = metas[index];
        metas[index] = {
          alias,
          startedAt: previous?.startedAt ?? now,
          ...(status === 'Running' ? {} : { finishedAt: now }),
          status,
          ...(message ? { message } : {}),
          ...(status === 'Failed' ? { errorCount: 1 } : {}),
        };
        const state = {
          ...((p.status?.state ?? {}) as Record<string, unknown>),
        };
        if (output) state[alias] = output;
        p.status = {
          ...p.status,
          currentStep: status === 'Succeeded' ? index + 1 : index,
          stepExecutionMetadata: metas,
          state: state as never,
          ...(message ? { message } : {}),
        };
      },
    );
  }

  private finishPromotion(
    promotion: Promotion,
    phase: string,
    message: string,
  ) {
    const ns = promotion.metadata!.namespace!;
    const name = promotion.metadata!.name!;
    const stageName = promotion.spec.stage;
    const now = this.clock.isoNow();
    const finished = this.store.update<Promotion>('Promotion', ns, name, p => {
      p.status = { ...p.status, phase, message, finishedAt: now };
    });
    const freight = this.store.get<Freight>(
      'Freight',
      ns,
      promotion.spec.freight ?? '',
    );
    this.store.update<Stage>('Stage', ns, stageName, s => {
      const status = { ...s.status };
      if (status.currentPromotion?.name === name)
        delete status.currentPromotion;
      status.lastPromotion = {
        name,
        freight: freight ? this.freightRef(freight) : undefined,
        status: finished.status,
        finishedAt: now,
      };
      status.conditions = this.setCondition(
        status.conditions,
        'Promoting',
        'False',
        phase,
        message,
      );
      // syncPromotions replays each finished Promotion's hold or resume intent.
      status.autoPromotionHolds = syncAutoPromotionHolds(
        s,
        status.autoPromotionHolds,
        this.autoPromotionEnabled(s),
        [finished],
      );
      if (!status.autoPromotionHolds) delete status.autoPromotionHolds;
      if (phase === 'Succeeded' && freight) {
        this.landFreight(s, status, freight);
        // syncPromotions: the new freight awaits its verification.
        status.conditions = this.setCondition(
          status.conditions,
          'Verified',
          'Unknown',
          'WaitingForVerification',
          'Waiting for verification to be performed after successful promotion',
        );
        if (status.health?.status === 'Healthy') {
          status.conditions = this.setCondition(
            status.conditions,
            'Healthy',
            'True',
            'Healthy',
            `Stage is healthy (performed ${
              (s.spec.promotionTemplate?.spec?.steps ?? []).filter(
                step => step.uses === 'argocd-update',
              ).length
            } health checks)`,
          );
        }
      } else {
        // assessHealth: health is only known after a successful Promotion.
        status.health = {
          status: 'Unknown',
          issues: [
            'Cannot assess health because last Promotion did not succeed',
          ],
        };
        status.conditions = this.setCondition(
          status.conditions,
          'Healthy',
          'Unknown',
          `LastPromotion${phase}`,
          'Cannot assess health because last Promotion did not succeed',
        );
      }
      s.status = status;
    });
    if (phase === 'Succeeded' && freight) {
      this.markFreightIn(ns, stageName, freight);
    }
    this.recordEvent(
      ns,
      'Promotion',
      name,
      `Promotion${phase}`,
      `Promotion ${name} ${phase.toLowerCase()}: ${message}`,
    );
  }

  /** A successful promotion adds a FreightCollection at the head of the stage's history. */
  private landFreight(
    stage: Stage,
    status: NonNullable<Stage['status']>,
    freight: Freight,
  ) {
    const previous = status.freightHistory?.[0];
    const items = {
      ...(previous?.items ?? {}),
      [originKey(freight.origin)]: this.freightRef(freight),
    };
    const id = createHash('sha1')
      .update(
        Object.keys(items)
          .sort()
          .map(k => `${k}:${items[k].name}`)
          .join(','),
      )
      .digest('hex');
    // Verification starts once the stage is healthy (reconcileStage).
    status.freightHistory = [
      {
        id,
        items,
        verificationHistory: [],
      },
      ...(status.freightHistory ?? []),
    ].slice(0, 10);
    status.freightSummary = Object.values(items)
      .map(i => i.name)
      .join(', ');
    // Kargo's health output is an array, one entry per health check (aggregating_checker.go);
    // only argocd-update steps register one, and without any there is no output. An entry
    // capitalizes Namespace and Name (an untagged embedded struct in Kargo's Go code).
    const checks = argocdAppsByStep(stage).map(apps => ({
      applicationStatuses: apps.map(name => ({
        Namespace: 'argocd',
        Name: name,
        health: { status: 'Healthy' },
        sync: {
          status: 'Synced',
          revision: freight.commits?.[0]?.id ?? '',
        },
      })),
    }));
    status.health = checks.length
      ? { status: 'Healthy', output: checks as never }
      : { status: 'Healthy' };
  }

  private markFreightIn(project: string, stageName: string, arrived: Freight) {
    const now = this.clock.isoNow();
    for (const freight of this.store.scan<Freight>('Freight', project)) {
      const isArrived = freight.metadata!.name === arrived.metadata!.name;
      const wasHere = freight.status?.currentlyIn?.[stageName];
      const sameOrigin =
        originKey(freight.origin) === originKey(arrived.origin);
      if (!isArrived && !(wasHere && sameOrigin)) continue;
      this.store.update<Freight>(
        'Freight',
        project,
        freight.metadata!.name!,
        f => {
          const status = {
            ...f.status,
            currentlyIn: { ...f.status?.currentlyIn },
          };
          if (isArrived) {
            status.currentlyIn[stageName] = { since: now };
          } else {
            const since = status.currentlyIn[stageName]?.since;
            delete status.currentlyIn[stageName];
            const verified = status.verifiedIn?.[stageName];
            if (verified && since) {
              const soak = Math.max(
                parseDuration(verified.longestSoak),
                this.clock.now() - Date.parse(since),
              );
              status.verifiedIn = {
                ...status.verifiedIn,
                [stageName]: { ...verified, longestSoak: formatDuration(soak) },
              };
            }
          }
          f.status = status;
        },
      );
    }
  }

  // ---- stages: verification, refresh, control flow -------------------------------------

  private reconcileStage(stage: Stage) {
    const ns = stage.metadata!.namespace!;
    const name = stage.metadata!.name!;
    const annotations = stage.metadata!.annotations ?? {};
    const refresh = annotations[REFRESH_ANNOTATION];

    if (isControlFlow(stage)) {
      this.passThroughControlFlow(stage);
    }
    if (refresh && refresh !== stage.status?.lastHandledRefresh) {
      this.store.update<Stage>('Stage', ns, name, s => {
        s.status = { ...s.status, lastHandledRefresh: refresh };
      });
    }
    if (isControlFlow(stage)) return;
    this.syncAutoPromotion(stage);
    this.verifyStageFreight(this.store.require<Stage>('Stage', ns, name));
  }

  /**
   * verifyStageFreight and markFreightVerifiedForStage: nothing while promoting; a verification
   * in progress is aborted or advanced; a finished one stays unless a re-verification names it;
   * a new one starts only once the stage is healthy. A Successful verification marks the freight
   * verified in the stage.
   */
  private verifyStageFreight(stage: Stage) {
    const ns = stage.metadata!.namespace!;
    const name = stage.metadata!.name!;
    const annotations = stage.metadata!.annotations ?? {};
    const current = stage.status?.freightHistory?.[0];
    if (!current || stage.status?.currentPromotion) return;
    const verification = current.verificationHistory?.[0];
    if (verification && !isTerminalVerification(verification)) {
      this.advanceVerification(stage, verification, annotations);
      return;
    }
    // Reverify names the verification it repeats; a new run (new id) answers it once.
    const reverify = parseAnnotation(annotations[REVERIFY_ANNOTATION]);
    if (verification && reverify?.id !== verification.id) return;
    if (stage.status?.health?.status !== 'Healthy') return;
    const started = startVerification(stage, current.id ?? '', {
      id: randomUUID(),
      now: this.clock.isoNow(),
      actor: verification ? reverify?.actor : undefined,
      templateExists: template =>
        Boolean(this.store.get('AnalysisTemplate', ns, template)),
    });
    this.updateVerification(stage, started, true);
    if (started.phase === 'Successful') {
      this.markFreightVerified(ns, name, current, started.finishTime!);
    }
  }

  /** The simulated Argo Rollouts: an AnalysisRun runs one tick, then ends with the outcome. */
  private advanceVerification(
    stage: Stage,
    verification: VerificationInfo,
    annotations: Record<string, string>,
  ) {
    const ns = stage.metadata!.namespace!;
    const name = stage.metadata!.name!;
    const abort = annotations[ABORT_ANNOTATION];
    if (parseAnnotation(abort)?.id === verification.id) {
      this.updateVerification(stage, {
        ...verification,
        phase: 'Aborted',
        message: `Verification aborted by ${
          parseAnnotation(abort)?.actor ?? 'user'
        }`,
        finishTime: this.clock.isoNow(),
        ...(verification.analysisRun
          ? { analysisRun: { ...verification.analysisRun, phase: 'Aborted' } }
          : {}),
      });
      return;
    }
    if (verification.phase === 'Pending') {
      this.updateVerification(stage, {
        ...verification,
        phase: 'Running',
        analysisRun: {
          namespace: ns,
          name: `${name}.${verification.id!.slice(0, 8)}`,
          phase: 'Running',
        },
      });
      return;
    }
    const outcome = this.verificationOutcome(ns, name);
    const finishTime = this.clock.isoNow();
    this.updateVerification(stage, {
      ...verification,
      phase: outcome,
      message:
        outcome === 'Successful'
          ? undefined
          : 'Metric "smoke-test" assessed Failed due to failed (1) > failureLimit (0)',
      finishTime,
      analysisRun: { ...verification.analysisRun!, phase: outcome },
    });
    if (outcome === 'Successful') {
      this.markFreightVerified(
        ns,
        name,
        stage.status!.freightHistory![0],
        finishTime,
      );
    }
  }

  /** FreightStatus.AddVerifiedStage: a stage already recorded keeps its record (and soak). */
  private markFreightVerified(
    ns: string,
    stageName: string,
    collection: NonNullable<
      NonNullable<Stage['status']>['freightHistory']
    >[number],
    verifiedAt: string,
  ) {
    for (const ref of Object.values(collection.items ?? {})) {
      const freight = this.store.get<Freight>('Freight', ns, ref.name!);
      if (!freight || freight.status?.verifiedIn?.[stageName]) continue;
      this.store.update<Freight>('Freight', ns, ref.name!, f => {
        f.status = {
          ...f.status,
          verifiedIn: { ...f.status?.verifiedIn, [stageName]: { verifiedAt } },
        };
      });
    }
  }

  private updateVerification(
    stage: Stage,
    info: VerificationInfo,
    prepend = false,
  ) {
    this.store.update<Stage>(
      'Stage',
      stage.metadata!.namespace!,
      stage.metadata!.name!,
      s => {
        const history = [...(s.status?.freightHistory ?? [])];
        const head = { ...history[0] };
        const runs = [...(head.verificationHistory ?? [])];
        if (prepend) runs.unshift(info);
        else runs[0] = info;
        head.verificationHistory = runs.slice(0, 10);
        history[0] = head;
        const verified = verifiedCondition(head.verificationHistory);
        s.status = {
          ...s.status,
          freightHistory: history,
          ...(verified
            ? {
                conditions: this.setCondition(
                  s.status?.conditions,
                  'Verified',
                  verified.status,
                  verified.reason,
                  verified.message,
                ),
              }
            : {}),
        };
      },
    );
  }

  /** A control-flow stage holds no freight; what is available to it counts as verified there. */
  private passThroughControlFlow(stage: Stage) {
    const ns = stage.metadata!.namespace!;
    const name = stage.metadata!.name!;
    const available = listFreightAvailableToStage(
      stage,
      [...this.store.scan<Freight>('Freight', ns)],
      this.clock.now(),
    );
    for (const freight of available) {
      if (freight.status?.verifiedIn?.[name]) continue;
      this.store.update<Freight>('Freight', ns, freight.metadata!.name!, f => {
        f.status = {
          ...f.status,
          verifiedIn: {
            ...f.status?.verifiedIn,
            [name]: { verifiedAt: this.clock.isoNow() },
          },
        };
      });
    }
  }

  /**
   * What the stage reconciler keeps about auto-promotion each pass: whether the ProjectConfig
   * enables it (autoPromoteFreight), the durable holds (syncPromotions: none while disabled,
   * only for requested origins) and the holds in effect (computeEffectiveAutoPromotionHolds).
   * A policy lookup Kargo fails on leaves all of it as it was.
   */
  private syncAutoPromotion(stage: Stage) {
    const enabled = this.policyAutoPromotion(stage);
    if (enabled === undefined) return;
    const ns = stage.metadata!.namespace!;
    const name = stage.metadata!.name!;
    const holds = syncAutoPromotionHolds(
      stage,
      stage.status?.autoPromotionHolds,
      enabled,
      [],
    );
    const promotions = this.store
      .scan<Promotion>('Promotion', ns)
      .filter(p => p.spec.stage === name);
    const effective = effectiveAutoPromotionHolds(
      { ...stage, status: { ...stage.status, autoPromotionHolds: holds } },
      enabled,
      promotions,
    );
    const status = stage.status ?? {};
    const same = (a: unknown, b: unknown) =>
      JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
    if (
      Boolean(status.autoPromotionEnabled) === enabled &&
      same(status.autoPromotionHolds, holds) &&
      same(status.effectiveAutoPromotionHolds, effective)
    ) {
      return;
    }
    this.store.update<Stage>('Stage', ns, name, s => {
      const next = { ...s.status, autoPromotionEnabled: enabled };
      delete next.autoPromotionHolds;
      delete next.effectiveAutoPromotionHolds;
      s.status = {
        ...next,
        ...(holds ? { autoPromotionHolds: holds } : {}),
        ...(effective ? { effectiveAutoPromotionHolds: effective } : {}),
      };
    });
  }

  /** IsAutoPromotionEnabled against the project's ProjectConfig; undefined when Kargo's lookup fails. */
  private policyAutoPromotion(stage: Stage): boolean | undefined {
    const ns = stage.metadata!.namespace!;
    try {
      return isAutoPromotionEnabled(
        this.store.get<ProjectConfig>('ProjectConfig', ns, ns),
        stage,
      );
    } catch {
      return undefined;
    }
  }

  /** Whether the project's promotion policies enable auto-promotion for the stage (see controller/promotionPolicies). */
  autoPromotionEnabled(stage: Stage): boolean {
    return Boolean(this.policyAutoPromotion(stage));
  }

  /** autoPromoteFreight: for each origin of each enabled stage, its candidate, unless held or already handled. */
  private autoPromote() {
    for (const stage of this.store.scan<Stage>('Stage')) {
      if (isControlFlow(stage) || !this.autoPromotionEnabled(stage)) continue;
      const ns = stage.metadata!.namespace!;
      const name = stage.metadata!.name!;
      const promotions = this.store
        .scan<Promotion>('Promotion', ns)
        .filter(p => p.spec.stage === name);
      const candidates = this.autoPromotionCandidates(stage);
      for (const request of stage.spec.requestedFreight ?? []) {
        const origin = originKey(request.origin);
        const candidate = candidates.get(origin);
        if (
          candidate &&
          shouldAutoPromote(stage, origin, candidate, promotions)
        ) {
          this.createPromotion(ns, stage, candidate, undefined);
        }
      }
    }
  }

  private autoPromotionCandidates(stage: Stage) {
    const ns = stage.metadata!.namespace!;
    return selectAutoPromotionCandidates(
      stage,
      listFreightAvailableToStage(
        stage,
        [...this.store.scan<Freight>('Freight', ns)],
        this.clock.now(),
      ),
    );
  }

  /** The auto-promotion candidate of an origin: what promoting by origin picks. */
  newestAvailableFreight(
    _project: string,
    stage: Stage,
    origin: { kind?: string; name?: string },
  ): Freight | undefined {
    return this.autoPromotionCandidates(stage).get(originKey(origin));
  }

  // ---- small operations the API server exposes --------------------------------------------

  /**
   * POST .../freight/{name-or-alias}/approve?stage=: the stage must request the freight's
   * origin; approval then skips verification and soak. Approving twice changes nothing.
   */
  approve(
    project: string,
    nameOrAlias: string,
    stageName: string,
    actor: string,
    authorizeStage: (stage: string) => void = () => {},
  ): void {
    if (!stageName)
      throw new HttpError(400, 'stage query parameter is required');
    const freight = this.resolveFreight(project, nameOrAlias);
    const stage = this.store.require<Stage>('Stage', project, stageName);
    authorizeStage(stageName);
    const requested = stage.spec.requestedFreight?.some(
      r => originKey(r.origin) === originKey(freight.origin),
    );
    if (!requested) {
      throw new HttpError(
        400,
        `Stage "${stageName}" does not request Freight from origin "${originKey(
          freight.origin,
        )}"`,
      );
    }
    if (freight.status?.approvedFor?.[stageName]) return;
    this.store.update<Freight>(
      'Freight',
      project,
      freight.metadata!.name!,
      f => {
        f.status = {
          ...f.status,
          approvedFor: {
            ...f.status?.approvedFor,
            [stageName]: { approvedAt: this.clock.isoNow() },
          },
        };
      },
    );
    this.recordEvent(
      project,
      'Freight',
      freight.metadata!.name!,
      'FreightApproved',
      `Freight approved for Stage "${stageName}" by "${actor}"`,
      {
        actor,
        component: 'api',
      },
    );
  }

  /**
   * POST .../promotions/{p}/abort: annotates a running promotion; a finished one is left alone.
   * `authorizePatch` checks the caller's right to patch it, where Kargo patches as the caller.
   */
  abortPromotion(
    project: string,
    name: string,
    actor: string,
    authorizePatch: () => void = () => {},
  ): void {
    const promotion = this.store.get<Promotion>('Promotion', project, name);
    if (!promotion) throw new HttpError(500, 'internal server error'); // Kargo's handler returns an untyped error here
    if (TERMINAL.includes(promotion.status?.phase ?? '')) return;
    authorizePatch();
    this.annotate(
      'Promotion',
      project,
      name,
      ABORT_ANNOTATION,
      JSON.stringify({ action: 'terminate', actor }),
    );
  }

  /** POST .../stages/{s}/verification: asks the controller to verify the current freight again. */
  reverify(
    project: string,
    stageName: string,
    actor: string,
    authorizePatch: () => void = () => {},
  ): void {
    const current = this.currentVerification(project, stageName);
    authorizePatch();
    this.annotate(
      'Stage',
      project,
      stageName,
      REVERIFY_ANNOTATION,
      JSON.stringify({ id: current.id, actor }),
    );
  }

  /** POST .../stages/{s}/verification/abort: stops the running verification, if any. */
  abortVerification(
    project: string,
    stageName: string,
    actor: string,
    authorizePatch: () => void = () => {},
  ): void {
    const current = this.currentVerification(project, stageName);
    if (VERIFICATION_TERMINAL.includes(current.phase ?? '')) return;
    authorizePatch();
    this.annotate(
      'Stage',
      project,
      stageName,
      ABORT_ANNOTATION,
      JSON.stringify({ id: current.id, actor }),
    );
  }

  /** Kargo answers a missing stage, freight or verification here with an untyped 500. */
  private currentVerification(
    project: string,
    stageName: string,
  ): VerificationInfo {
    const stage = this.store.get<Stage>('Stage', project, stageName);
    const current = stage?.status?.freightHistory?.[0];
    const verification = current?.verificationHistory?.[0];
    if (
      !stage ||
      !current ||
      !Object.keys(current.items ?? {}).length ||
      !verification?.id
    ) {
      throw new HttpError(500, 'internal server error');
    }
    return verification;
  }

  /** POST .../{stages|warehouses|promotions}/{n}/refresh: the refresh annotation, RFC 3339 to the second. */
  refresh(
    kind: 'Stage' | 'Warehouse' | 'Promotion',
    project: string,
    name: string,
  ): void {
    const token = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const plural = `${kind.toLowerCase()}s`;
    if (!this.store.get(kind, project, name)) {
      throw new HttpError(
        404,
        `patch annotation: ${plural}.kargo.akuity.io "${name}" not found`,
      );
    }
    this.annotate(kind, project, name, REFRESH_ANNOTATION, token);
    if (kind === 'Stage') {
      const current = this.store.get<Stage>('Stage', project, name)?.status
        ?.currentPromotion?.name;
      if (current && this.store.get('Promotion', project, current)) {
        this.annotate('Promotion', project, current, REFRESH_ANNOTATION, token);
      }
    }
  }

  private annotate(
    kind: Kind,
    project: string,
    name: string,
    key: string,
    value: string,
  ) {
    this.store.update(kind, project, name, o => {
      o.metadata = {
        ...o.metadata,
        annotations: { ...o.metadata?.annotations, [key]: value },
      };
    });
  }

  openPullRequest(repoURL: string): PullRequest {
    const id = this.pullRequests.size + 1;
    const base = repoURL.replace(/\.git$/, '');
    const pr: PullRequest = {
      id,
      url: `${base}/pull/${id}`,
      repoURL,
      open: true,
      merged: false,
    };
    this.pullRequests.set(id, pr);
    return pr;
  }

  mergePullRequest(id: number): PullRequest {
    const pr = this.pullRequests.get(id);
    if (!pr) throw new HttpError(404, `pull request ${id} not found`);
    pr.open = false;
    pr.merged = true;
    pr.mergeCommit = createHash('sha1')
      .update(`${pr.url}|merged`)
      .digest('hex');
    return pr;
  }

  /** A Kubernetes Event about a Kargo object, as `GET .../events` lists them. */
  recordEvent(
    project: string,
    kind: string,
    name: string,
    reason: string,
    message: string,
    extras: { actor?: string; component?: string } = {},
  ) {
    const now = this.clock.isoNow();
    this.events.push({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: {
        name: `${name}.${randomUUID().slice(0, 8)}`,
        namespace: project,
        creationTimestamp: now,
        ...(extras.actor
          ? { annotations: { 'event.kargo.akuity.io/actor': extras.actor } }
          : {}),
      },
      involvedObject: {
        apiVersion: 'kargo.akuity.io/v1alpha1',
        kind,
        name,
        namespace: project,
      },
      reason,
      message,
      type: /(Failed|Errored)$/.test(reason) ? 'Warning' : 'Normal',
      source: { component: extras.component ?? 'kargo-controller' },
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
    });
    if (this.events.length > 5000)
      this.events.splice(0, this.events.length - 5000);
  }

  private condition(
    type: string,
    status: string,
    reason: string,
    message = '',
  ) {
    return {
      type,
      status,
      reason,
      message,
      lastTransitionTime: this.clock.isoNow(),
      observedGeneration: 1,
    };
  }

  private setCondition(
    conditions: Condition[] | undefined,
    type: string,
    status: string,
    reason: string,
    message: string,
  ) {
    const others = (conditions ?? []).filter(c => c.type !== type);
    return [...others, this.condition(type, status, reason, message)];
  }

  private initStageStatus(stage: Stage) {
    this.store.update<Stage>(
      'Stage',
      stage.metadata!.namespace!,
      stage.metadata!.name!,
      s => {
        s.status = {
          observedGeneration: 1,
          freightHistory: [],
          // assessHealth: no health without freight (control-flow stages have none).
          conditions: [this.condition('Ready', 'True', 'Ready')],
          autoPromotionEnabled: this.autoPromotionEnabled(s),
        };
      },
    );
  }
}
