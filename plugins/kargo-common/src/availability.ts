import type { FreightOrigin, Stage } from './kargoResources';

/** Go's time.Duration text ("5m0s", "1h", "90s"), as Kargo's specs and statuses write it, in ms. @public */
export function parseGoDuration(text: string | undefined): number {
  if (!text) return 0;
  const units: Record<string, number> = {
    ms: 1,
    s: 1000,
    m: 60_000,
    h: 3_600_000,
  };
  let total = 0;
  let consumed = 0;
  for (const match of text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) {
    total += Number(match[1]) * units[match[2]];
    consumed += match[0].length;
  }
  if (consumed !== text.length) throw new Error(`invalid duration "${text}"`);
  return total;
}

/** "Warehouse/<name>", the key Kargo uses for an origin. @public */
export const originKey = (origin: { kind?: string; name?: string }) =>
  `${origin.kind ?? 'Warehouse'}/${origin.name}`;

/**
 * Whether a stage takes freight from the warehouse (directly or through upstream stages): what
 * the warehouse lets through can reach it. @public
 */
export const requestsFreightFrom = (
  stage: { spec?: { requestedFreight?: Array<{ origin?: FreightOrigin }> } },
  warehouse: string,
) =>
  (stage.spec?.requestedFreight ?? []).some(
    r =>
      r.origin !== undefined &&
      originKey(r.origin) === originKey({ kind: 'Warehouse', name: warehouse }),
  );

/** A stage without promotion steps only passes freight on. @public */
export const isControlFlowStage = (stage: Stage) =>
  !stage.spec.promotionTemplate?.spec?.steps?.length;

/**
 * Why Kargo would not take freight into a stage, by code. The backend decides (Kargo's
 * Stage.IsFreightAvailable and the portal's promote checks); views and errors carry the codes.
 * @public
 */
export type FreightBlocker =
  /** The stage does not request freight of this origin (`Warehouse/<name>`). */
  | { code: 'NotRequested'; origin: string }
  /** The stage has no promotion steps: freight only passes through it. */
  | { code: 'ControlFlow' }
  /** Not verified in these upstream stages, and not approved for the stage. */
  | { code: 'NotVerified'; stages: string[] }
  /**
   * Verified in the upstream stage but not soaked there for the request's `requiredSoakTime`:
   * `until` it still sits there, or for good once it has left that stage.
   */
  | {
      code: 'NotSoaked';
      stage: string;
      requiredSoakTime: string;
      until?: string;
    };

/**
 * The view's freight from a stage's requested origins, as the backend decided for the stage.
 * @public
 */
export interface StageFreightAvailability {
  /** Freight Kargo takes into the stage, by name, in the view's order. */
  available: string[];
  /** Freight Kargo refuses for reasons of its own, by name: why not, and when soak time alone makes it available. */
  unavailable: Record<
    string,
    {
      blockers: FreightBlocker[];
      /** Once this time has passed Kargo takes it: its soak time upstream is over. */
      availableAt?: string;
    }
  >;
  /**
   * Why Kargo refuses the rest of the view's freight from the stage's origins (in neither list):
   * the commonest reason, said once instead of per freight, which in a 500-stage view would
   * repeat it tens of thousands of times.
   */
  othersBlockedBy?: FreightBlocker[];
}

/**
 * Why freight cannot go into the stage, in one clause, in Kargo's words: the backend's refusals
 * and the promote dialog say the same. `formatTime` renders the ISO end of a soak.
 * @public
 */
export function describeFreightBlockers(
  stage: string,
  blockers: FreightBlocker[],
  formatTime: (iso: string) => string = iso => iso,
): string {
  const stages = (names: string[]) =>
    names.length === 1
      ? `upstream Stage "${names[0]}"`
      : `any of the upstream Stages ${names.map(n => `"${n}"`).join(', ')}`;
  const clauses = blockers.map(b => {
    switch (b.code) {
      case 'NotRequested':
        return `Stage "${stage}" does not request freight from ${b.origin}`;
      case 'ControlFlow':
        return `Stage "${stage}" has no promotion steps; freight passes through it from upstream`;
      case 'NotVerified':
        return `not verified in ${stages(b.stages)}`;
      case 'NotSoaked':
        return b.until
          ? `soak time (${b.requiredSoakTime}) in ${stages([
              b.stage,
            ])} remaining until ${formatTime(b.until)}`
          : `not soaked ${b.requiredSoakTime} in ${stages([
              b.stage,
            ])} (it has left that Stage)`;
      default:
        return '';
    }
  });
  // Approval lets freight skip verification and soak: saying so names the way out.
  const upstream = blockers.some(
    b => b.code === 'NotVerified' || b.code === 'NotSoaked',
  );
  return upstream
    ? `${clauses.join('; ')}; and not approved for Stage "${stage}"`
    : clauses.join('; ');
}
