export { PipelineGraph } from './PipelineGraph';
export type { PipelineGraphProps } from './PipelineGraph';
export { pipelineModel } from './pipelineModel';
