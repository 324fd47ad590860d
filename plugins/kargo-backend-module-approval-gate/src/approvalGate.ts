import type {
  KargoPromotionGate,
  KargoPromotionGateDecision,
} from '@kargo-backstage/plugin-kargo-node';

/** The gate's name, as promote answers and the audit log show it. @public */
export const APPROVAL_GATE = 'approval';

/**
 * Lets freight into a stage that approval policies select only once its newest approval request
 * is Approved (every such policy has its approvals, none rejected or expired). The Kargo backend
 * plugin keeps the policies and requests and hands them to the gate; there is no override.
 * @public
 */
export function createApprovalGate(): KargoPromotionGate {
  return {
    name: APPROVAL_GATE,
    async evaluate({
      stage,
      freight,
      approval,
    }): Promise<KargoPromotionGateDecision> {
      const { policies, request } = approval;
      if (!policies.length) return { result: 'allow' };
      if (request?.state === 'Approved') return { result: 'allow' };
      const stageName = stage.metadata!.name!;
      const needs = policies
        .map(
          p =>
            `${p.approvals} approval${
              p.approvals > 1 ? 's' : ''
            } from ${p.groups.join(' or ')} (policy "${p.name}")`,
        )
        .join(' and ');
      const name =
        freight.alias ??
        freight.metadata?.labels?.['kargo.akuity.io/alias'] ??
        freight.metadata!.name!;
      const where = `Freight ${name} needs ${needs} to enter stage "${stageName}"`;
      if (!request) {
        return {
          result: 'deny',
          reason: `${where}: request approval first`,
          details: { approval: 'none' },
        };
      }
      const counted = request.policies
        .map(p => `${p.counted} of ${p.required} for "${p.policy}"`)
        .join(', ');
      return {
        result: 'deny',
        reason: `${where}; the request by ${request.requestedBy} is ${request.state} (${counted})`,
        details: { approval: request.state, request: request.id },
      };
    },
  };
}
