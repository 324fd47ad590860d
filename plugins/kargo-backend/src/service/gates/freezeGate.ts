import { kargoFreezeOverridePermission } from '@kargo-backstage/plugin-kargo-common';
import { KargoStore } from '../../database';
import type { OverridableGate } from './PromotionGates';
import { stagePromotionWindow } from '../freeze/stagePromotionWindow';

export const FREEZE_GATE = 'freeze';

/**
 * The built-in gate: a stage closed by its project's promotion windows refuses promotions. Where
 * Kargo reports the Stage's promotionWindowStatus (Kargo Enterprise, after v1.11.2) its verdict
 * is the one taken. Its deny is overridable by whoever holds kargo.freeze.override on the stage.
 */
export function createFreezeGate(store: KargoStore): OverridableGate {
  return {
    name: FREEZE_GATE,
    overridePermission: kargoFreezeOverridePermission,
    async evaluate({ instance, project, stage, now }) {
      const windows = await store.listPromotionWindows({ instance, project });
      const name = stage.metadata!.name!;
      const state = stagePromotionWindow(stage, windows, now);
      if (!state || state.open) return { result: 'allow' };
      const by = state.closedBy
        .map(w => `"${w.name}"${w.reason ? ` (${w.reason})` : ''}`)
        .join(', ');
      return {
        result: 'deny',
        reason: `Stage "${name}" is frozen by promotion window ${by}${
          state.nextChange ? `; it opens at ${state.nextChange}` : ''
        }`,
        details: {
          windows: state.closedBy.map(w => w.name).join(','),
          ...(state.nextChange ? { opensAt: state.nextChange } : {}),
        },
      };
    },
  };
}
