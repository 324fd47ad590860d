export { DatabaseKargoStore } from './DatabaseKargoStore';
export type { KargoStore, ProjectRef, AutoPromotionHold } from './KargoStore';
