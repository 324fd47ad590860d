export { StageWorkloads } from './StageWorkloads';
export type { StageWorkloadsProps } from './StageWorkloads';
