import type {
  KargoProjectSettings,
  KargoTokenAccess,
} from '@kargo-backstage/plugin-kargo-common';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { renderWithKargo } from '../__testUtils__/testApis';
import { shopView } from '../__testUtils__/testViews';
import { ProjectSettingsDialog } from '../ProjectSettings/ProjectSettingsDialog';
import { StageFreeze } from '../StageFreeze';
import { FreightActions } from './FreightActions';
import { StageActions } from './StageActions';

jest.setTimeout(20_000);

const refused = (what: string) =>
  `Kargo would refuse the portal's token (role kargo-promoter): it may not ${what}; this needs kargo-admin`;

/** What the backend reports for a kargo-promoter API token (KargoTokenAccess). */
const promoter: KargoTokenAccess = {
  role: 'kargo-promoter',
  denied: {
    abortPromotion: refused('patch promotions'),
    reverify: refused('patch stages'),
    updateFreightAlias: refused('patch freights'),
    updateWarehouse: refused('update warehouses'),
    createFreight: refused('create freights'),
    updatePromotionPolicies: refused('update projectconfigs'),
    holdAutoPromotion: refused('update projectconfigs'),
    grantRoles: refused('update serviceaccounts'),
    readCredentials: refused('list secrets'),
    manageCredentials: refused('create secrets'),
  },
};

const button = (name: string) => screen.getByRole('button', { name });

/** The reason a disabled button shows on hover. */
async function reasonOf(name: string): Promise<string> {
  fireEvent.mouseOver(button(name).parentElement!);
  return (await screen.findByRole('tooltip')).textContent ?? '';
}

describe("actions the portal's Kargo token may not do", () => {
  it('are disabled on a stage, with the reason, while promote and refresh stay enabled', async () => {
    const view = { ...shopView(), kargoAccess: promoter };
    await renderWithKargo(
      <StageActions view={view} stage={view.stages[3]} onPromote={jest.fn()} />,
    );
    await waitFor(() => expect(button('Refresh')).toBeEnabled());
    expect(button('Promote…')).toBeEnabled();
    for (const name of ['Re-verify', 'Abort verification', 'Abort promotion']) {
      expect(button(name)).toBeDisabled();
    }
    expect(await reasonOf('Abort promotion')).toBe(refused('patch promotions'));
  });

  it('are disabled on freight: the alias, not approve', async () => {
    const view = { ...shopView(), kargoAccess: promoter };
    const freight = view.freight.find(f => f.alias === 'brave-badger')!;
    await renderWithKargo(
      <FreightActions view={view} freight={freight} onPromote={jest.fn()} />,
    );
    await waitFor(() => expect(button('Approve')).toBeEnabled());
    fireEvent.change(screen.getByLabelText('Alias'), {
      target: { value: 'release-1' },
    });
    expect(button('Set alias')).toBeDisabled();
    expect(await reasonOf('Set alias')).toBe(refused('patch freights'));
  });

  it('leave everything enabled when the backend cannot tell (no kargoAccess)', async () => {
    const view = shopView();
    await renderWithKargo(
      <StageActions view={view} stage={view.stages[3]} onPromote={jest.fn()} />,
    );
    await waitFor(() => expect(button('Abort promotion')).toBeEnabled());
    expect(button('Re-verify')).toBeEnabled();
  });

  it('disable promote for a kargo-viewer token', async () => {
    const view = {
      ...shopView(),
      kargoAccess: {
        role: 'kargo-viewer',
        denied: { promote: 'it may not promote stages' },
      },
    };
    await renderWithKargo(
      <StageActions view={view} stage={view.stages[0]} onPromote={jest.fn()} />,
    );
    await waitFor(() => expect(button('Refresh')).toBeEnabled());
    expect(button('Promote…')).toBeDisabled();
    expect(await reasonOf('Promote…')).toBe('it may not promote stages');
  });

  it("say a freeze cannot hold Kargo's auto-promotion off", async () => {
    const view = { ...shopView(), kargoAccess: promoter };
    await renderWithKargo(<StageFreeze view={view} stage={view.stages[0]} />);
    expect(
      await screen.findByText(/cannot hold Kargo's auto-promotion off/),
    ).toHaveTextContent(refused('update projectconfigs'));
  });

  it('are disabled in the settings: grants, policies, warehouses, credentials', async () => {
    const settings: KargoProjectSettings = {
      instance: 'sim',
      project: 'kargo-demo',
      groupsClaim: 'groups',
      owners: ['group:default/guests'],
      roles: [{ name: 'kargo-viewer', kargoManaged: true, claims: [] }],
      warehouses: [{ name: 'guestbook', spec: { interval: '5m0s' } }],
      credentials: [],
      credentialsError: refused('list secrets'),
      stages: [
        {
          stage: 'uat',
          autoPromotionEnabled: false,
          heldByFreeze: false,
          promotionWindow: { open: true, closedBy: [] },
        },
      ],
      kargoAccess: promoter,
    };
    await renderWithKargo(
      <ProjectSettingsDialog
        open
        project={{ instance: 'sim', project: 'kargo-demo' }}
        onClose={jest.fn()}
      />,
      { api: { getProjectSettings: jest.fn(async () => settings) } },
    );
    await waitFor(() => expect(button('Refresh guestbook')).toBeEnabled());
    expect(button('Grant to owners')).toBeDisabled();
    expect(button('Turn on for uat')).toBeDisabled();
    expect(button('Save guestbook')).toBeDisabled();
    expect(await reasonOf('Grant to owners')).toBe(
      refused('update serviceaccounts'),
    );
  });
});
