export { KargoProjectPanel } from './KargoProjectPanel';
export type { KargoProjectPanelProps } from './KargoProjectPanel';
