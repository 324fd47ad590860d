export { KargoAnnotated } from './KargoAnnotated';
