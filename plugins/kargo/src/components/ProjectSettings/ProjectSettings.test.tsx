import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { KargoProjectSettings } from '@kargo-backstage/plugin-kargo-common';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { renderWithKargo } from '../__testUtils__/testApis';
import { ProjectSettingsDialog } from './ProjectSettingsDialog';

const settings = (): KargoProjectSettings => ({
  instance: 'sim',
  project: 'kargo-demo',
  groupsClaim: 'groups',
  owners: ['group:default/guests'],
  roles: [
    { name: 'kargo-admin', kargoManaged: true, claims: [] },
    {
      name: 'kargo-promoter',
      kargoManaged: true,
      claims: [{ name: 'groups', values: ['release-managers'] }],
    },
  ],
  warehouses: [
    {
      name: 'guestbook',
      spec: {
        interval: '5m0s',
        freightCreationPolicy: 'Manual',
        subscriptions: [{ image: { repoURL: 'ghcr.io/example/guestbook' } }],
        shard: 'kept-as-is',
      },
      discoveredArtifacts: {
        images: [
          {
            repoURL: 'ghcr.io/example/guestbook',
            references: [{ tag: '1.30.0' }],
          },
        ],
      },
    },
  ],
  credentials: [
    {
      name: 'deploy-repo',
      type: 'git',
      repoUrl: 'https://github.com/example/guestbook-deploy.git',
      repoUrlIsRegex: false,
      username: 'bot',
    },
  ],
  stages: [
    {
      stage: 'uat',
      autoPromotionEnabled: false,
      heldByFreeze: false,
      promotionWindow: { open: true, closedBy: [] },
    },
  ],
});

// Many permission-checked buttons render at once: slower than most component tests.
jest.setTimeout(20_000);

const ref = { instance: 'sim', project: 'kargo-demo' };

/** Clicks a Kargo action once the permission check let it be enabled. */
async function click(button: HTMLElement) {
  await waitFor(() => expect(button).toBeEnabled());
  fireEvent.click(button);
}

function renderSettings(
  authorize:
    | AuthorizeResult.ALLOW
    | AuthorizeResult.DENY = AuthorizeResult.ALLOW,
) {
  const api = {
    getProjectSettings: jest.fn(async () => settings()),
    changeRoleGrants: jest.fn(async () => {}),
    setAutoPromotion: jest.fn(async () => ({
      autoPromotionEnabled: true,
      heldByFreeze: false,
    })),
    updateWarehouse: jest.fn(async () => {}),
    refreshWarehouse: jest.fn(async () => {}),
    assembleFreight: jest.fn(async () => {}),
    saveRepoCredentials: jest.fn(async (_r: any, c: any) => c),
    deleteRepoCredentials: jest.fn(async () => {}),
    listApprovalPolicies: jest.fn(async () => ({
      items: [
        {
          name: 'prod-approval',
          stageSelector: { name: 'glob:prod*' },
          approvals: 2,
          groups: ['group:default/release-managers', 'group:ops/sre'],
          expiresAfter: '24h',
          createdBy: 'user:default/alex',
          createdAt: '2026-11-01T00:00:00Z',
        },
      ],
      stages: { 'prod-eu': ['prod-approval'], 'prod-us': ['prod-approval'] },
    })),
    createApprovalPolicy: jest.fn(async (_r: any, p: any) => ({
      ...p,
      createdBy: 'user:default/sam',
      createdAt: 'now',
    })),
    deleteApprovalPolicy: jest.fn(async () => {}),
  };
  return {
    api,
    rendered: renderWithKargo(
      <ProjectSettingsDialog open project={ref} onClose={() => {}} />,
      { api, authorize },
    ),
  };
}

describe('ProjectSettingsDialog', () => {
  it('grants a role to the owners in one click and revokes a grant', async () => {
    const { api } = renderSettings();
    expect(
      await screen.findByRole('dialog', {
        name: 'Settings of Kargo project kargo-demo',
      }),
    ).toBeInTheDocument();
    const promoter = (
      await screen.findByText('kargo-promoter', {}, { timeout: 10_000 })
    ).closest('tr')!;
    await click(
      within(promoter).getByRole('button', { name: 'Grant to owners' }),
    );
    await waitFor(() =>
      expect(api.changeRoleGrants).toHaveBeenCalledWith(
        ref,
        'kargo-promoter',
        'grants',
        ['group:default/guests'],
      ),
    );
    await click(
      within(promoter).getByRole('button', { name: 'Revoke release-managers' }),
    );
    await waitFor(() =>
      expect(api.changeRoleGrants).toHaveBeenCalledWith(
        ref,
        'kargo-promoter',
        'revocations',
        ['group:default/release-managers'],
      ),
    );
  });

  it("turns a stage's auto-promotion on", async () => {
    const { api } = renderSettings();
    await click(
      await screen.findByRole(
        'button',
        { name: 'Turn on for uat' },
        { timeout: 10_000 },
      ),
    );
    await waitFor(() =>
      expect(api.setAutoPromotion).toHaveBeenCalledWith(ref, 'uat', true),
    );
  });

  it('edits a warehouse as JSON, keeping what it does not show, and assembles freight', async () => {
    const { api } = renderSettings();
    const editor = await screen.findByLabelText(
      'Settings of guestbook (JSON)',
      {},
      { timeout: 10_000 },
    );
    expect((editor as HTMLTextAreaElement).value).not.toContain('shard');
    fireEvent.change(editor, { target: { value: '{ not json' } });
    expect(
      screen.getByRole('button', { name: 'Save guestbook' }),
    ).toBeDisabled();
    fireEvent.change(editor, {
      target: {
        value: JSON.stringify({
          interval: '10m0s',
          subscriptions: [
            {
              image: {
                repoURL: 'ghcr.io/example/guestbook',
                constraint: '^1.30.0',
              },
            },
          ],
        }),
      },
    });
    await click(screen.getByRole('button', { name: 'Save guestbook' }));
    await waitFor(() =>
      expect(api.updateWarehouse).toHaveBeenCalledWith(ref, 'guestbook', {
        interval: '10m0s',
        subscriptions: [
          {
            image: {
              repoURL: 'ghcr.io/example/guestbook',
              constraint: '^1.30.0',
            },
          },
        ],
      }),
    );
    await click(screen.getByRole('button', { name: 'Refresh guestbook' }));
    await waitFor(() =>
      expect(api.refreshWarehouse).toHaveBeenCalledWith(ref, 'guestbook'),
    );
    await click(screen.getByRole('button', { name: 'Create freight 1.30.0' }));
    await waitFor(() =>
      expect(api.assembleFreight).toHaveBeenCalledWith(ref, 'guestbook', {
        images: [{ repoURL: 'ghcr.io/example/guestbook', tag: '1.30.0' }],
      }),
    );
  });

  it('adds credentials with a password it never shows', async () => {
    const { api } = renderSettings();
    await screen.findByText('deploy-repo', {}, { timeout: 10_000 });
    const type = (label: string, value: string) =>
      fireEvent.change(screen.getByLabelText(label), { target: { value } });
    type('Name', 'charts');
    type('Repository URL', 'https://charts.example.com');
    type('Username', 'robot');
    type('Password', 'hunter2');
    expect(screen.getByLabelText('Password')).toHaveAttribute(
      'type',
      'password',
    );
    await click(screen.getByRole('button', { name: 'Add credentials' }));
    await waitFor(() =>
      expect(api.saveRepoCredentials).toHaveBeenCalledWith(
        ref,
        {
          name: 'charts',
          type: 'git',
          repoUrl: 'https://charts.example.com',
          username: 'robot',
          password: 'hunter2',
        },
        'create',
      ),
    );
  });

  it('is read-only for a user without kargo.project.manage', async () => {
    const { api } = renderSettings(AuthorizeResult.DENY);
    expect(
      await screen.findByText(
        /Read-only: managing this project needs kargo.project.manage/,
      ),
    ).toBeInTheDocument();
    await screen.findByText('deploy-repo', {}, { timeout: 10_000 });
    for (const name of [
      'Grant to owners',
      'Turn on for uat',
      'Save guestbook',
      'Delete deploy-repo',
      'Delete prod-approval',
    ]) {
      for (const button of screen.getAllByRole('button', { name })) {
        await waitFor(() => expect(button).toBeDisabled());
      }
    }
    expect(api.changeRoleGrants).not.toHaveBeenCalled();
  });

  it('lists approval policies with the stages they select, creates one and deletes one', async () => {
    const { api } = renderSettings();
    const section = await screen.findByRole(
      'region',
      { name: 'Approval policies' },
      { timeout: 10_000 },
    );
    const row = (await within(section).findByText('prod-approval')).closest(
      'tr',
    )!;
    expect(
      Array.from(row.querySelectorAll('td')).map(c => c.textContent),
    ).toEqual([
      'prod-approval',
      'glob:prod*',
      'prod-eu, prod-us',
      '2',
      'release-managers, group:ops/sre',
      '24h',
      'alex',
      'Delete prod-approval',
    ]);
    // Queried each time: the button is drawn anew when its tooltip (why not) goes.
    const add = () =>
      within(section).getByRole('button', { name: 'Add approval policy' });
    const type = (label: string, value: string) =>
      fireEvent.change(within(section).getByLabelText(label), {
        target: { value },
      });
    type('Policy name', 'uat-approval');
    type('Stages (name or pattern)', 'uat');
    type('Approvals', '11');
    expect(add()).toBeDisabled();
    type('Approvals', '1');
    type('Groups (comma separated)', 'qa, group:default/release-managers,');
    type('Expires after', 'a day');
    expect(add()).toBeDisabled();
    type('Expires after', '8h');
    await click(add());
    await waitFor(() =>
      expect(api.createApprovalPolicy).toHaveBeenCalledWith(ref, {
        name: 'uat-approval',
        stageSelector: { name: 'uat' },
        approvals: 1,
        groups: ['qa', 'group:default/release-managers'],
        expiresAfter: '8h',
      }),
    );
    // Read again after the change.
    await waitFor(() =>
      expect(api.listApprovalPolicies).toHaveBeenCalledTimes(2),
    );
    await click(
      within(section).getByRole('button', { name: 'Delete prod-approval' }),
    );
    await waitFor(() =>
      expect(api.deleteApprovalPolicy).toHaveBeenCalledWith(
        ref,
        'prod-approval',
      ),
    );
  });
});
