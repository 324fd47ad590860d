import {
  Content,
  ContentHeader,
  Header,
  InfoCard,
  Page,
  ProxiedSignInPage,
} from '@backstage/core-components';
import { IdentityApi } from '@backstage/core-plugin-api';
import type { SignInPageProps } from '@backstage/plugin-app-react';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';

const CHOSEN = 'kargoDemo.signInProvider';

/** The demo's sign-in choices: auth backend providers that need no identity provider. */
const PERSONAS = [
  {
    provider: 'guest',
    title: 'Guest',
    button: 'Enter',
    text: 'A release manager: may promote into every stage of the demo projects.',
  },
  {
    provider: 'developer',
    title: 'Developer (dev)',
    button: 'Enter as dev',
    text: 'Owns the demo services but is no release manager: the example Kargo policy keeps dev out of prod.',
  },
];

/** Forgets the choice on sign-out, so that the next sign-in may choose again. */
function forgetOnSignOut(identity: IdentityApi): IdentityApi {
  return {
    getProfileInfo: () => identity.getProfileInfo(),
    getBackstageIdentity: () => identity.getBackstageIdentity(),
    getCredentials: () => identity.getCredentials(),
    signOut: async () => {
      localStorage.removeItem(CHOSEN);
      await identity.signOut();
    },
  };
}

/**
 * Demo only: sign in as the guest or as a developer, both through the auth backend (guest and
 * `developer` providers), to see what the example permission policy allows each. A real portal
 * uses its identity provider's sign-in page instead.
 */
export function DemoSignInPage(props: SignInPageProps) {
  const [provider, setProvider] = useState(() => localStorage.getItem(CHOSEN));
  const choose = (chosen: string | null) => {
    if (chosen) localStorage.setItem(CHOSEN, chosen);
    else localStorage.removeItem(CHOSEN);
    setProvider(chosen);
  };
  if (provider) {
    return (
      <ProxiedSignInPage
        {...props}
        provider={provider}
        onSignInSuccess={identity =>
          props.onSignInSuccess(forgetOnSignOut(identity))
        }
        ErrorComponent={({ error }) => (
          <Page themeId="home">
            <Content>
              <Typography paragraph>
                Could not sign in with {provider}: {error?.message}
              </Typography>
              <Button variant="outlined" onClick={() => choose(null)}>
                Choose again
              </Button>
            </Content>
          </Page>
        )}
      />
    );
  }
  return (
    <Page themeId="home">
      <Header title="Kargo for Backstage" subtitle="Demo sign-in" />
      <Content>
        <ContentHeader title="Select a sign-in method" />
        <Grid container>
          {PERSONAS.map(p => (
            <Grid item xs={12} md={4} key={p.provider}>
              <InfoCard
                title={p.title}
                variant="fullHeight"
                actions={
                  <Button
                    color="primary"
                    variant="outlined"
                    onClick={() => choose(p.provider)}
                  >
                    {p.button}
                  </Button>
                }
              >
                <Typography variant="body1">{p.text}</Typography>
              </InfoCard>
            </Grid>
          ))}
        </Grid>
      </Content>
    </Page>
  );
}
