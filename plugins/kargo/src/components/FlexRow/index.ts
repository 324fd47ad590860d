export { FlexRow } from './FlexRow';
export type { FlexRowProps } from './FlexRow';
