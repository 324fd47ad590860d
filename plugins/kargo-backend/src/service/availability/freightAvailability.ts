import {
  Freight,
  FreightBlocker,
  FreightRequest,
  isControlFlowStage,
  originKey,
  parseGoDuration,
  Stage,
} from '@kargo-backstage/plugin-kargo-common';

/**
 * Whether Kargo takes freight into a stage: the one implementation of Kargo's
 * Stage.IsFreightAvailable (api/v1alpha1/stage_types.go) in the portal, with the checks Kargo
 * makes before it (the stage requests the origin and has promotion steps). The promote
 * preconditions and the project view both use it.
 *
 * The answer does not depend on the clock: soak time only decides *when* freight becomes
 * available, so a view built now stays right while it is cached.
 */
export interface FreightAvailability {
  /**
   * From when Kargo takes the freight (epoch ms): `-Infinity` once approved, direct, or verified
   * and soaked upstream; the end of its soak while it sits in an upstream stage; absent when
   * nothing but a change in Kargo (a verification, an approval) can make it available.
   */
  availableFrom?: number;
  /** Why not (yet); empty when it is available whatever the time. */
  blockers: FreightBlocker[];
}

const ALWAYS: FreightAvailability = {
  availableFrom: -Infinity,
  blockers: [],
};

/**
 * What one of the stage's requests asks of freight, worked out once per stage: a first view
 * decides thousands of stage and freight pairs.
 */
interface PlannedRequest {
  request: FreightRequest;
  direct: boolean;
  upstream: string[];
  all: boolean;
  /** The required soak in ms, parsed when first needed: only freight verified upstream asks. */
  required?: number;
}

interface StagePlan {
  name: string;
  controlFlow: boolean;
  /** The stage's requests per origin key. */
  requests: Map<string, PlannedRequest[]>;
}

const plans = new WeakMap<Stage, StagePlan>();
function planOf(stage: Stage): StagePlan {
  let plan = plans.get(stage);
  if (!plan) {
    const requests = new Map<string, PlannedRequest[]>();
    for (const request of stage.spec.requestedFreight ?? []) {
      const key = originKey(request.origin);
      const sources = request.sources ?? {};
      const planned: PlannedRequest = {
        request,
        direct: Boolean(sources.direct),
        upstream: sources.stages ?? [],
        all: sources.availabilityStrategy === 'All',
      };
      const same = requests.get(key);
      if (same) same.push(planned);
      else requests.set(key, [planned]);
    }
    plan = {
      name: stage.metadata?.name ?? '',
      controlFlow: isControlFlowStage(stage),
      requests,
    };
    plans.set(stage, plan);
  }
  return plan;
}

/**
 * Freight.GetLongestSoak >= required, as a time (api/v1alpha1/freight_types.go): the longest
 * completed soak counts at once; the current stay from `since` on.
 */
function soakedFrom(
  freight: Freight,
  upstream: string,
  planned: PlannedRequest,
): { from?: number; blocker?: FreightBlocker } {
  const verified = freight.status?.verifiedIn?.[upstream];
  if (!verified) return {};
  const requiredSoakTime = planned.request.sources?.requiredSoakTime;
  const required = (planned.required ??= parseGoDuration(requiredSoakTime));
  // Freight.HasSoakedIn: no required soak time is always soaked.
  if (!required || parseGoDuration(verified.longestSoak) >= required) {
    return { from: -Infinity };
  }
  const since = Date.parse(
    freight.status?.currentlyIn?.[upstream]?.since ?? '',
  );
  const from = Number.isNaN(since) ? undefined : since + required;
  return {
    from,
    blocker: {
      code: 'NotSoaked',
      stage: upstream,
      requiredSoakTime: requiredSoakTime!,
      ...(from === undefined ? {} : { until: new Date(from).toISOString() }),
    },
  };
}

/** One request of the freight's origin: `All` needs every upstream stage, `OneOf` any. */
function fromRequest(
  freight: Freight,
  planned: PlannedRequest,
): FreightAvailability {
  if (planned.direct) return ALWAYS;
  const { upstream, all } = planned;
  const notVerified: string[] = [];
  const blockers: FreightBlocker[] = [];
  const times: number[] = [];
  for (const stage of upstream) {
    const soak = soakedFrom(freight, stage, planned);
    if (soak.from === undefined && !soak.blocker) notVerified.push(stage);
    if (soak.blocker) blockers.push(soak.blocker);
    if (soak.from !== undefined) times.push(soak.from);
  }
  if (notVerified.length) {
    blockers.unshift({ code: 'NotVerified', stages: notVerified });
  }
  let availableFrom: number | undefined;
  if (all) {
    availableFrom =
      upstream.length && times.length === upstream.length
        ? Math.max(...times)
        : undefined;
  } else if (times.length) {
    availableFrom = Math.min(...times);
  }
  if (availableFrom === -Infinity) return ALWAYS;
  return { availableFrom, blockers };
}

/** Kargo's decision for one stage, for any number of freight: the stage is read once. */
export function availabilityIn(
  stage: Stage,
): (freight: Freight) => FreightAvailability {
  const plan = planOf(stage);
  return freight => {
    const origin = originKey(freight.origin);
    const requests = plan.requests.get(origin);
    if (!requests) return { blockers: [{ code: 'NotRequested', origin }] };
    // Kargo's promotion webhook refuses a stage without steps (pkg/webhook/kubernetes/promotion).
    if (plan.controlFlow) return { blockers: [{ code: 'ControlFlow' }] };
    if (freight.status?.approvedFor?.[plan.name]) return ALWAYS;
    // Kargo returns at the first request that makes it available, and at the first `All` one.
    let result: FreightAvailability = { blockers: [] };
    for (const planned of requests) {
      const next = fromRequest(freight, planned);
      result = {
        availableFrom: earliest(result.availableFrom, next.availableFrom),
        blockers: [...result.blockers, ...next.blockers],
      };
      if (result.availableFrom === -Infinity) return ALWAYS;
      if (planned.all) break;
    }
    return result;
  };
}

export function freightAvailability(
  stage: Stage,
  freight: Freight,
): FreightAvailability {
  return availabilityIn(stage)(freight);
}

function earliest(a?: number, b?: number): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.min(a, b);
}

/** Kargo's Stage.IsFreightAvailable at `now`. */
export const isAvailable = (availability: FreightAvailability, now: number) =>
  availability.availableFrom !== undefined && availability.availableFrom <= now;
