import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  authProvidersExtensionPoint,
  createProxyAuthenticator,
  createProxyAuthProviderFactory,
} from '@backstage/plugin-auth-node';

/**
 * Demo only: a second guest-like sign-in, `auth.providers.developer`, as a catalog user who
 * owns the demo services but is no release manager. The embedded default shows with it what the
 * example Kargo policy refuses. Like the guest provider, it works in development only.
 */
export const authModuleDeveloperProvider = createBackendModule({
  pluginId: 'auth',
  moduleId: 'developer-provider',
  register(reg) {
    reg.registerInit({
      deps: {
        providers: authProvidersExtensionPoint,
        config: coreServices.rootConfig,
      },
      async init({ providers, config }) {
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
