export { kargoPlugin as default } from './plugin';
