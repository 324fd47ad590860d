import { Suite } from './suite';
import { reads } from './reads';
import { healthOutput } from './healthOutput';
import { roles } from './roles';
import { repoCredentials } from './repoCredentials';
import { apiTokens } from './apiTokens';
import { autoPromotion } from './autoPromotion';
import { verification } from './verification';
import { watches } from './watches';
import { pipeline } from './pipeline';
import { gitPromotion } from './gitPromotion';

/** Every suite, in the order they run on each target. Add new suites here. */
export const SUITES: Suite[] = [
  reads,
  healthOutput,
  roles,
  repoCredentials,
  apiTokens,
  autoPromotion,
  verification,
  watches,
  pipeline,
  gitPromotion,
];
