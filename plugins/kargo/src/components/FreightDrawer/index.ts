export { FreightDrawer } from './FreightDrawer';
export type { FreightDrawerProps } from './FreightDrawer';
