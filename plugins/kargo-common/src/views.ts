import type {
  Chart,
  FreightOrigin,
  GitCommit,
  Image,
  KargoSchemas,
  PromotionStep,
  StepExecutionMetadata,
  VerificationInfo,
} from './kargoResources';
import type { StageFreightAvailability } from './availability';
import type { FreightMetadataView } from './metadata';
import type { PromotionWindowState } from './promotionWindows';
import type { KargoProjectApprovals, LineStopView } from './approvals';

/**
 * What the Kargo backend plugin serves for a catalog entity: one normalized view per Kargo
 * project the entity names, computed from a constant number of Kargo calls.
 */

/** A warehouse: what it subscribes to and what it last discovered. @public */
export interface WarehouseView {
  name: string;
  /** Kargo's subscription objects as configured (image / git / chart with their filters). */
  subscriptions: Array<Record<string, unknown>>;
  interval?: string;
  freightCreationPolicy?: string;
  lastDiscoveredAt?: string;
  lastFreight?: string;
  /** Condition messages that are not True (discovery errors). */
  problems: string[];
}

/** Freight as a row of the timeline. @public */
export interface FreightView {
  name: string;
  alias?: string;
  origin: FreightOrigin;
  discoveredAt?: string;
  images: Image[];
  commits: GitCommit[];
  charts: Chart[];
  /** Stage name → since when. */
  currentlyIn: Record<string, string | undefined>;
  /** Stage name → verified at. */
  verifiedIn: Record<string, string | undefined>;
  /** Stage name → approved at. */
  approvedFor: Record<string, string | undefined>;
  /** Kargo's own freight metadata (`status.metadata`, set by promotion steps). */
  metadata: Record<string, unknown>;
  /** The portal's metadata (notes, links, labels, verdict, enrichments), if any. */
  portalMetadata?: FreightMetadataView;
}

/** A promotion, with its steps and the pull request it opened, if any. @public */
export interface PromotionView {
  name: string;
  stage: string;
  freight?: string;
  phase: string;
  message?: string;
  createdAt?: string;
  startedAt?: string;
  finishedAt?: string;
  /** Who started it (`kargo.akuity.io/create-actor`): `admin`, `email:…`, `controller:…`. */
  actor?: string;
  steps: Array<{
    alias: string;
    uses?: string;
    task?: string;
    status?: string;
    message?: string;
  }>;
  currentStep?: number;
  /** URL of the pull request a git-open-pr / git-wait-for-pr step reported. */
  pullRequestUrl?: string;
  /** The commit the promotion rendered (git-commit output or the merged PR's commit). */
  commit?: string;
}

/** A stage: what it asks for, what it runs, and how that went. @public */
export interface StageView {
  name: string;
  description?: string;
  /** Requested origins and where each comes from. */
  requestedFreight: Array<{
    origin: FreightOrigin;
    direct: boolean;
    stages: string[];
    requiredSoakTime?: string;
    availabilityStrategy?: string;
  }>;
  /** No promotion steps: it only passes freight on (merges freightlines). */
  controlFlow: boolean;
  /**
   * Which of the view's freight (from the origins the stage requests) may be promoted into it,
   * and why not the rest: decided by the backend, as Kargo decides it.
   */
  freightAvailability: StageFreightAvailability;
  /** Current freight per origin ("Warehouse/<name>" → freight name). */
  currentFreight: Record<string, string>;
  health?: string;
  healthIssues: string[];
  /** The Argo CD Applications Kargo checks the stage's health with (its argocd-update steps). */
  argocdApps?: Array<{
    name: string;
    namespace?: string;
    health?: string;
    sync?: string;
  }>;
  /** The current freight's newest verification. */
  verification?: VerificationInfo;
  conditions: Array<{
    type: string;
    status: string;
    reason?: string;
    message?: string;
  }>;
  currentPromotion?: string;
  lastPromotion?: { name?: string; phase?: string; finishedAt?: string };
  autoPromotionEnabled: boolean;
  /** The commit the stage runs: rendered by its last successful promotion. */
  renderedCommit?: string;
  /** Whether promotion windows (freezes) let promotions in now. */
  promotionWindow?: PromotionWindowState;
  /** Freight history, newest first: freight names per origin and their verifications. */
  history: Array<{
    id?: string;
    freight: Record<string, string>;
    verifications: VerificationInfo[];
  }>;
}

/** The whole view of one project. @public */
export interface KargoProjectView {
  instance: string;
  project: string;
  /** Link to the project in Kargo's UI, when configured. */
  url?: string;
  warehouses: WarehouseView[];
  stages: StageView[];
  /** Newest first, at most `freightLimit` per warehouse. */
  freight: FreightView[];
  /** Freight per warehouse in Kargo (before the limit). */
  freightTotal: Record<string, number>;
  /** Recent promotions, newest first. */
  promotions: PromotionView[];
  /** What the portal's Kargo token may do in the project; absent when the backend did not say. */
  kargoAccess?: KargoTokenAccess;
  /** The portal's approval policies and open requests; absent when no policy exists. */
  approvals?: KargoProjectApprovals;
  fetchedAt: string;
}

/**
 * Portal actions that Kargo authorizes against the portal's Kargo token (its role's rules), by
 * what Kargo checks: `promote` covers promote downstream, `reverify` aborting a verification.
 * @public
 */
export type KargoTokenAction =
  | 'promote'
  | 'approve'
  | 'abortPromotion'
  | 'reverify'
  | 'updateFreightAlias'
  | 'createFreight'
  | 'updateWarehouse'
  | 'updatePromotionPolicies'
  | 'holdAutoPromotion'
  | 'grantRoles'
  | 'readCredentials'
  | 'manageCredentials';

/**
 * What the portal's Kargo token may do in a project, as the backend learnt it from Kargo (the
 * rules of the token's role). Actions it would refuse are shown disabled with the reason.
 * @public
 */
export interface KargoTokenAccess {
  /** The Kargo role the token acts as, e.g. `kargo-promoter`; absent when it cannot tell. */
  role?: string;
  /** Why Kargo would refuse the token each of these actions; an action not named is not known to be refused. */
  denied: Partial<Record<KargoTokenAction, string>>;
}

/** A project the backend could not read: the error names the instance. @public */
export interface KargoProjectError {
  instance: string;
  project: string;
  error: { name: string; message: string; statusCode?: number };
}

/** `GET /api/kargo/entity-view?entityRef=…`. @public */
export interface KargoEntityView {
  entityRef: string;
  /** The entity's optional limits from its annotations. */
  stages?: string[];
  warehouses?: string[];
  projects: Array<KargoProjectView | KargoProjectError>;
  /** Stop-the-line freezes in force for the entity's instance (portal-wide ones included). */
  lineStops?: LineStopView[];
}

/** The signal channel of a project; messages say what changed. @public */
export function kargoProjectChannel(instance: string, project: string): string {
  return `kargo:${instance}:${project}`;
}

/** The signal channel of stop-the-line freezes: every Kargo tab listens to it. @public */
export const KARGO_LINE_STOPS_CHANNEL = 'kargo:line-stops';

/** The message published on a project's channel when Kargo reports a change. @public */
export interface KargoProjectChangedSignal {
  instance: string;
  project: string;
  kind:
    | 'Stage'
    | 'Warehouse'
    | 'Freight'
    | 'Promotion'
    | 'FreightMetadata'
    | 'PromotionWindow'
    | 'Approval';
  name?: string;
}

/** @public */
export type KargoCondition = KargoSchemas['V1Condition'];
/** @public */
export type { PromotionStep, StepExecutionMetadata };

/** A project's settings as the portal manages them (GET …/settings). @public */
export interface KargoProjectSettings {
  instance: string;
  project: string;
  /** The OIDC claim that portal groups are granted roles through. */
  groupsClaim: string;
  /** Owners of the catalog entities that show the project. */
  owners: string[];
  roles: Array<{
    name: string;
    kargoManaged: boolean;
    claims: Array<{ name: string; values: string[] }>;
  }>;
  /** Warehouses as Kargo has them: the editable spec and what they discovered. */
  warehouses: Array<{
    name: string;
    spec: Record<string, unknown>;
    discoveredArtifacts?: Record<string, unknown>;
  }>;
  credentials: KargoRepoCredentialsView[];
  /** Why credentials could not be listed (e.g. the portal's Kargo token may not). */
  credentialsError?: string;
  /** What the portal's Kargo token may do in the project. */
  kargoAccess?: KargoTokenAccess;
  stages: Array<{
    stage: string;
    autoPromotionEnabled: boolean;
    /** The promotion policy that applies: the stage's own, or a selector. */
    policy?: string;
    /** A freeze holds auto-promotion off; the setting applies when it ends. */
    heldByFreeze: boolean;
    promotionWindow: PromotionWindowState;
  }>;
}

/** Repository credentials as the portal shows them: never the secret. @public */
export interface KargoRepoCredentialsView {
  name: string;
  type: string;
  repoUrl: string;
  repoUrlIsRegex: boolean;
  username?: string;
  description?: string;
}
