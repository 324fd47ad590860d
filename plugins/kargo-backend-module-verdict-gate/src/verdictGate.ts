import type { KargoPromotionGate } from '@kargo-backstage/plugin-kargo-node';

/** @public */
export const VERDICT_GATE = 'do-not-promote-verdict';

/**
 * Looks at the portal's verdict on the freight: "do not promote" stops the promotion until
 * the user confirms (mode `confirm`) or for good (mode `deny`).
 * @public
 */
export function createVerdictGate(
  mode: 'confirm' | 'deny' = 'confirm',
): KargoPromotionGate {
  return {
    name: VERDICT_GATE,
    async evaluate({ freight, metadata }) {
      if (metadata?.verdict?.value !== 'do-not-promote') {
        return { result: 'allow' };
      }
      const who = metadata.updatedBy ? ` by ${metadata.updatedBy}` : '';
      const why = metadata.verdict.reason ? `: ${metadata.verdict.reason}` : '';
      const name = freight.alias ?? freight.metadata?.name;
      return {
        result: mode,
        reason: `Freight "${name}" is marked "do not promote"${who}${why}`,
      };
    },
  };
}
