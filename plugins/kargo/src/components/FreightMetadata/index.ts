export { FreightMetadataPanel } from './FreightMetadataPanel';
export { VerdictChip } from './VerdictChip';
