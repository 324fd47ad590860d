export { StageDrawer } from './StageDrawer';
export type { StageDrawerProps } from './StageDrawer';
