export { StageFreeze, freezeLabel } from './StageFreeze';
