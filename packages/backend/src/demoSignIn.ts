import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { NotAllowedError } from '@backstage/errors';
import {
  authProvidersExtensionPoint,
  createProxyAuthenticator,
  createProxyAuthProviderFactory,
} from '@backstage/plugin-auth-node';

/** Whether the demo's modules are on: `demo.enabled: true`, set by app-config.demo.yaml only. */
export function demoEnabled(config: Config): boolean {
  return config.getOptionalBoolean('demo.enabled') === true;
}

/**
 * Demo only: a second guest-like sign-in, `auth.providers.developer`, as a catalog user who
 * owns the demo services but is no release manager. The embedded default shows with it what the
 * example Kargo policy refuses. It exists only with `demo.enabled` (app-config.demo.yaml) and,
 * like the guest provider, works in development only.
 */
export const authModuleDeveloperProvider = createBackendModule({
  pluginId: 'auth',
  moduleId: 'developer-provider',
  register(reg) {
    reg.registerInit({
      deps: {
        providers: authProvidersExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
      },
      async init({ providers, config, logger }) {
        if (!demoEnabled(config)) return;
        if (process.env.NODE_ENV !== 'development') {
          logger.warn(
            'demo.enabled outside development: app-config.demo.yaml is loaded (its sign-ins refuse, its data is there); production loads app-config.yaml and app-config.production.yaml only',
          );
        }
        providers.registerProvider({
          providerId: 'developer',
          factory: createProxyAuthProviderFactory({
            authenticator: createProxyAuthenticator({
              defaultProfileTransform: async () => ({ profile: {} }),
              initialize: () => process.env.NODE_ENV === 'development',
              async authenticate(_, enabled) {
                if (!enabled) {
                  throw new NotAllowedError(
                    'The developer sign-in of the demo works in development only',
                  );
                }
                return { result: {} };
              },
            }),
            signInResolver: async (_, ctx) =>
              ctx.signInWithCatalogUser({
                entityRef: config.getString(
                  'auth.providers.developer.userEntityRef',
                ),
              }),
          }),
        });
      },
    });
  },
});
