export {
  KargoActionButton,
  errorMessage,
  useKargoAction,
} from './KargoActionButton';
export type { KargoActionButtonProps } from './KargoActionButton';
export { StageActions } from './StageActions';
export { FreightActions } from './FreightActions';
export { WarehouseRefreshButtons } from './WarehouseRefreshButtons';
