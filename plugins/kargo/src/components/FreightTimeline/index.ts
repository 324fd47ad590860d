export { FreightTimeline } from './FreightTimeline';
export type { FreightTimelineProps } from './FreightTimeline';
export {
  DEFAULT_FREIGHT_LIMIT,
  nextFreightLimit,
  MAX_FREIGHT_LIMIT,
} from './freightPaging';
export type { FreightPaging } from './freightPaging';
