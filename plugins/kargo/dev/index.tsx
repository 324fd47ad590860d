import { createDevApp } from '@backstage/frontend-dev-utils';
import kargoPlugin from '../src/alpha';

createDevApp({ features: [kargoPlugin] });
