/*
 * Hi!
 *
 * Note that this is an EXAMPLE Backstage backend. Please check the README.
 *
 * Happy hacking!
 */

import { createBackend } from '@backstage/backend-defaults';
import { authModuleDeveloperProvider } from './demoSignIn';
import { permissionModuleKargoPolicy } from './kargoPermissionPolicy';
import {
  catalogModuleLocalFiles,
  scaffolderModuleLocalPublish,
} from './localPublishModule';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));
backend.add(import('@backstage/plugin-proxy-backend'));

// scaffolder plugin
backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(import('@backstage/plugin-scaffolder-backend-module-github'));
backend.add(
  import('@backstage/plugin-scaffolder-backend-module-notifications'),
);
// kargo:project:init, kargo:resources:apply, kargo:freight:create, kargo:promote
backend.add(import('@kargo-backstage/plugin-scaffolder-backend-module-kargo'));
// Demo only (`demo.enabled`, app-config.demo.yaml; they add nothing without it): the embedded
// default has no git host, templates publish into examples/generated and the catalog reads
// `file` locations under examples/ only.
backend.add(scaffolderModuleLocalPublish);
backend.add(catalogModuleLocalFiles);

// techdocs plugin
backend.add(import('@backstage/plugin-techdocs-backend'));

// auth plugin. A provider signs in only when `auth.providers.<id>` configures it.
backend.add(import('@backstage/plugin-auth-backend'));
// See https://backstage.io/docs/backend-system/building-backends/migrating#the-auth-plugin
// The demo's guest (configured in app-config.demo.yaml only; development only).
// See https://backstage.io/docs/auth/guest/provider
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
// Demo only (`demo.enabled`; development only): sign in as a developer whom the Kargo example
// policy keeps out of prod.
backend.add(authModuleDeveloperProvider);
// A production identity provider: configure `auth.providers.github` (app-config.production.yaml).
// See https://backstage.io/docs/auth/github/provider
backend.add(import('@backstage/plugin-auth-backend-module-github-provider'));

// catalog plugin
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);

// See https://backstage.io/docs/features/software-catalog/configuration#subscribing-to-catalog-errors
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));

// permission plugin
backend.add(import('@backstage/plugin-permission-backend'));
// See https://backstage.io/docs/permissions/getting-started for how to create your own permission policy
// Kargo's example policy: owners promote into non-production stages, the release group
// everywhere; everything else is allowed (see kargoPermissionPolicy.ts and the README).
backend.add(permissionModuleKargoPolicy);

// search plugin
backend.add(import('@backstage/plugin-search-backend'));

// search engine
// See https://backstage.io/docs/features/search/search-engines
backend.add(import('@backstage/plugin-search-backend-module-pg'));

// search collators
backend.add(import('@backstage/plugin-search-backend-module-catalog'));
backend.add(import('@backstage/plugin-search-backend-module-techdocs'));

// kubernetes plugin
backend.add(import('@backstage/plugin-kubernetes-backend'));

// user settings plugin
backend.add(import('@backstage/plugin-user-settings-backend'));

// notifications and signals plugins
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));
// The events bus (on PostgreSQL): a signal published on one replica reaches browsers
// connected to any replica.
backend.add(import('@backstage/plugin-events-backend'));

// mcp actions plugin
backend.add(import('@backstage/plugin-mcp-actions-backend'));

// kargo plugin
backend.add(import('@kargo-backstage/plugin-kargo-backend'));
// A promotion gate: freight marked "do not promote" needs a confirmation.
backend.add(
  import('@kargo-backstage/plugin-kargo-backend-module-verdict-gate'),
);
// The approval gate: stages that approval policies select wait for their approvals.
backend.add(
  import('@kargo-backstage/plugin-kargo-backend-module-approval-gate'),
);

backend.start();
