import { ConflictError } from '@backstage/errors';
import type { ResourcePermission } from '@backstage/plugin-permission-common';
import type { KargoGateOutcome } from '@kargo-backstage/plugin-kargo-common';
import type {
  KargoPromotionGate,
  KargoPromotionGateRequest,
} from '@kargo-backstage/plugin-kargo-node';

/** An outcome as the backend evaluates it: the wire type of kargo-common. */
export type GateOutcome = KargoGateOutcome;

/**
 * A built-in gate whose deny a user holding `overridePermission` may override (the freeze gate).
 * Gates that modules add cannot be overridden: their deny stands.
 */
export interface OverridableGate extends KargoPromotionGate {
  /** Checked on each stage whose promotion the override lets through. */
  overridePermission: ResourcePermission;
}

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
  constructor(
    private readonly gates: Array<KargoPromotionGate | OverridableGate>,
  ) {}

  names(): string[] {
    return this.gates.map(g => g.name);
  }

  /** The permission that overrides the gate's deny, if it can be overridden. */
  overridePermission(gate: string): ResourcePermission | undefined {
    const found = this.gates.find(g => g.name === gate);
    return found && 'overridePermission' in found
      ? found.overridePermission
      : undefined;
  }

  /**
   * Every gate's decision, with what the user can do about it; a gate that fails denies, naming
   * the failure, and that deny cannot be overridden (it is no decision of the gate).
   */
  async evaluate(request: KargoPromotionGateRequest): Promise<GateOutcome[]> {
    const stage = request.stage.metadata!.name!;
    return Promise.all(
      this.gates.map(async (gate): Promise<GateOutcome> => {
        let decision;
        try {
          decision = await gate.evaluate(request);
        } catch (error) {
          return {
            gate: gate.name,
            stage,
            result: 'deny',
            reason: `The ${gate.name} gate failed: ${(error as Error).message}`,
            overridable: false,
            needsConfirmation: false,
          };
        }
        const permission =
          decision.result === 'deny' && 'overridePermission' in gate
            ? gate.overridePermission.name
            : undefined;
        return {
          gate: gate.name,
          stage,
          ...decision,
          overridable: Boolean(permission),
          ...(permission ? { overridePermission: permission } : {}),
          needsConfirmation: decision.result === 'confirm',
        };
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
        if (outcome.overridable && pass.overridden.includes(outcome.gate)) {
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
