export { KargoStatus } from './KargoStatus';
