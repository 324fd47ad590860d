// Kargo's freight availability rule lives in kargo-common, shared with the backend's checks.
export {
  isControlFlowStage as isControlFlow,
  isFreightAvailable,
  originKey,
} from '@kargo-backstage/plugin-kargo-common';
