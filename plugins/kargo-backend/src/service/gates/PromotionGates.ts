import { ConflictError } from '@backstage/errors';
import type {
  KargoPromotionGate,
  KargoPromotionGateDecision,
  KargoPromotionGateRequest,
} from '@kargo-backstage/plugin-kargo-node';

/** A gate's decision, named. */
export type GateOutcome = KargoPromotionGateDecision & { gate: string };

/** What the request brings to get past gates: confirmations and, if permitted, a freeze override. */
export interface GatePass {
  /** Gates whose "confirm" the user accepted. */
  confirmed: string[];
  /** Gates the user may and wants to override (the freeze gate, with `kargo.freeze.override`). */
  overridden: string[];
}

/**
 * The promotion gates: the built-in freeze gate and whatever modules add through
 * `kargoPromotionGatesExtensionPoint`. Every promotion through the portal passes them.
 */
export class PromotionGates {
  constructor(private readonly gates: KargoPromotionGate[]) {}

  names(): string[] {
    return this.gates.map(g => g.name);
  }

  /** Every gate's decision; a gate that fails denies, naming the failure. */
  async evaluate(request: KargoPromotionGateRequest): Promise<GateOutcome[]> {
    return Promise.all(
      this.gates.map(async gate => {
        try {
          return { gate: gate.name, ...(await gate.evaluate(request)) };
        } catch (error) {
          return {
            gate: gate.name,
            result: 'deny' as const,
            reason: `The ${gate.name} gate failed: ${(error as Error).message}`,
          };
        }
      }),
    );
  }

  /**
   * Throws a 409 for the first gate that stops the promotion; returns the outcomes that were
   * confirmed or overridden, for the audit log.
   */
  static enforce(outcomes: GateOutcome[], pass: GatePass): GateOutcome[] {
    const passed: GateOutcome[] = [];
    for (const outcome of outcomes) {
      if (outcome.result === 'allow') continue;
      if (outcome.result === 'deny') {
        if (pass.overridden.includes(outcome.gate)) {
          passed.push(outcome);
          continue;
        }
        throw new ConflictError(`${outcome.reason} [gate ${outcome.gate}]`);
      }
      if (!pass.confirmed.includes(outcome.gate)) {
        throw new ConflictError(
          `Needs confirmation: ${outcome.reason} (send "confirm": ["${outcome.gate}"]) [gate ${outcome.gate}]`,
        );
      }
      passed.push(outcome);
    }
    return passed;
  }
}
