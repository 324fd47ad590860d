import { simulatorTarget } from './simulator';
import { realKargoTarget } from './realKargo';
import { TargetFactory } from './types';

export const TARGETS: TargetFactory[] = [simulatorTarget, realKargoTarget];
export type { ConformanceTarget, TargetFactory } from './types';
