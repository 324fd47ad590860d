import { alertApiRef } from '@backstage/core-plugin-api';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { kargoApiRef } from '../../api';
import { renderWithKargo } from '../__testUtils__/testApis';
import {
  approvalRequest,
  shopView,
  testKargoApi,
} from '../__testUtils__/testViews';
import { PromoteDialog } from './PromoteDialog';

const promoteButton = () => screen.getByRole('button', { name: 'Promote' });

/** The dialog for cart-dev, with no freight picked yet. */
function renderCartDev(options: Parameters<typeof renderWithKargo>[1]) {
  const view = shopView();
  return renderWithKargo(
    <PromoteDialog view={view} stage={view.stages[0]} onClose={jest.fn()} />,
    options,
  );
}

/** A gate's deny for cart-dev; an overridable one is overridden with kargo.freeze.override. */
const deny = (gate: string, reason: string, overridable = false) => ({
  gate,
  stage: 'cart-dev',
  result: 'deny' as const,
  reason,
  overridable,
  ...(overridable && { overridePermission: 'kargo.freeze.override' }),
  needsConfirmation: false,
});

function rows() {
  const table = screen.getByRole('table', { name: 'What changes' });
  return within(table)
    .getAllByRole('row')
    .slice(1)
    .map(r => r.textContent);
}

describe('PromoteDialog', () => {
  it('shows the diff against what prod runs and blocks freight Kargo would refuse', async () => {
    const view = shopView();
    const fresh = view.freight.find(f => f.alias === 'brave-badger')!;
    await renderWithKargo(
      <PromoteDialog
        view={view}
        stage={view.stages.find(s => s.name === 'prod')}
        freightName={fresh.name}
        onClose={jest.fn()}
      />,
    );
    expect(screen.getByText('Promote to prod')).toBeInTheDocument();
    expect(rows()).toEqual(['image ghcr.io/example/cart2.4.02.4.1']);
    // The backend's reason, from the view.
    expect(
      screen.getByText(
        'Kargo refuses this promotion: not verified in upstream Stage "integration"; and not approved for Stage "prod".',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/prod.01abc.brave-b is still running/),
    ).toBeInTheDocument();
    await waitFor(() => expect(promoteButton()).toBeDisabled());
  });

  it('promotes with an idempotency key, warns about an unhealthy stage, and closes', async () => {
    const view = shopView();
    const cartDev = {
      ...view.stages[0],
      health: 'Unhealthy',
      healthIssues: ['pods crash'],
    };
    const older = view.freight.find(f => f.alias === 'calm-capybara')!;
    const promote = jest.fn(
      async (..._args: unknown[]): Promise<any> => ({
        metadata: { name: 'cart-dev.01xyz' },
        spec: { stage: 'cart-dev', freight: older.name },
      }),
    );
    const onClose = jest.fn();
    await renderWithKargo(
      <PromoteDialog
        view={view}
        stage={cartDev}
        freightName={older.name}
        onClose={onClose}
      />,
      { api: { promote } },
    );
    expect(rows()).toEqual(['image ghcr.io/example/cart2.4.12.4.0']);
    expect(
      screen.getByText('Stage cart-dev is Unhealthy: pods crash.'),
    ).toBeInTheDocument();
    await waitFor(() => expect(promoteButton()).toBeEnabled());
    fireEvent.click(promoteButton());
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(promote).toHaveBeenCalledWith(
      { instance: 'sim', project: 'shop' },
      'cart-dev',
      { freight: older.name },
      {
        idempotencyKey: expect.stringMatching(/^kargo-ui-/),
        confirm: [],
        override: [],
      },
    );
  });

  it('says a promotion request started when Kargo answers one (a stage that selects Targets)', async () => {
    const view = shopView();
    const promote = jest.fn(
      async (): Promise<any> => ({
        metadata: { name: 'cart-dev.01req.abc1234' },
        spec: {
          stage: 'cart-dev',
          freight: 'abc1234',
          targets: [{ name: 'eu' }, { name: 'us' }],
        },
      }),
    );
    const post = jest.fn();
    const onClose = jest.fn();
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [kargoApiRef, testKargoApi({ promote })],
          [permissionApiRef, mockApis.permission()],
          [alertApiRef, { post }],
        ]}
      >
        <PromoteDialog view={view} stage={view.stages[0]} onClose={onClose} />
      </TestApiProvider>,
    );
    await waitFor(() => expect(promoteButton()).toBeEnabled());
    fireEvent.click(promoteButton());
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(post).toHaveBeenCalledWith(
      expect.objectContaining({
        message: expect.stringMatching(
          /^Promotion request cart-dev\.01req\.abc1234 \(to 2 targets\) of .* into cart-dev started$/,
        ),
        severity: 'success',
      }),
    );
  });

  it('shows the backend error and retries with the same key', async () => {
    const view = shopView();
    const promote = jest
      .fn()
      .mockRejectedValueOnce(
        Object.assign(new Error('Request failed with 503'), {
          body: { error: { message: 'Kargo instance "sim" is unreachable' } },
        }),
      )
      .mockResolvedValueOnce({ metadata: { name: 'p' } });
    await renderWithKargo(
      <PromoteDialog view={view} stage={view.stages[0]} onClose={jest.fn()} />,
      { api: { promote } },
    );
    await waitFor(() => expect(promoteButton()).toBeEnabled());
    fireEvent.click(promoteButton());
    expect(
      await screen.findByText('Kargo instance "sim" is unreachable'),
    ).toBeInTheDocument();
    fireEvent.click(promoteButton());
    await waitFor(() => expect(promote).toHaveBeenCalledTimes(2));
    expect(promote.mock.calls[1][3]).toEqual(promote.mock.calls[0][3]);
    // The newest available freight is chosen by default.
    expect(promote.mock.calls[0][2]).toEqual({
      freight: view.freight.find(f => f.alias === 'brave-badger')!.name,
    });
  });

  it('tells a user the policy refuses, and keeps Promote disabled', async () => {
    await renderCartDev({ authorize: AuthorizeResult.DENY });
    expect(
      await screen.findByText(/You are not allowed to promote into cart-dev/),
    ).toBeInTheDocument();
    expect(promoteButton()).toBeDisabled();
  });

  it('shows what the gates say: a confirmation to tick, a freeze to override when allowed', async () => {
    const view = shopView();
    const fresh = view.freight.find(f => f.alias === 'brave-badger')!;
    fresh.portalMetadata = {
      freight: fresh.name,
      links: [],
      labels: {},
      version: 2,
      updatedBy: 'user:default/sam',
      verdict: { value: 'do-not-promote', reason: 'Breaks checkout' },
      enrichments: {},
    };
    const getPromotionGates = jest.fn(async () => [
      deny(
        'freeze',
        'Stage "cart-dev" is frozen by promotion window "rehearsal"',
        true,
      ),
      {
        gate: 'do-not-promote-verdict',
        stage: 'cart-dev',
        result: 'confirm' as const,
        reason: 'Freight "brave-badger" is marked "do not promote"',
        overridable: false,
        needsConfirmation: true,
      },
    ]);
    const promote = jest.fn(
      async (..._args: unknown[]): Promise<any> => ({
        metadata: { name: 'p' },
      }),
    );
    await renderWithKargo(
      <PromoteDialog
        view={view}
        stage={view.stages[0]}
        freightName={fresh.name}
        onClose={jest.fn()}
      />,
      { api: { getPromotionGates, promote } },
    );
    expect(
      await screen.findByText(/frozen by promotion window "rehearsal"/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'Marked "do not promote" by user:default/sam: Breaks checkout.',
      ),
    ).toBeInTheDocument();
    expect(promoteButton()).toBeDisabled();
    fireEvent.click(
      screen.getByLabelText('I have read this and promote anyway'),
    );
    expect(promoteButton()).toBeDisabled(); // the freeze still stands
    fireEvent.click(
      screen.getByLabelText(
        'Override the freeze gate (recorded in the audit log)',
      ),
    );
    await waitFor(() => expect(promoteButton()).toBeEnabled());
    fireEvent.click(promoteButton());
    await waitFor(() => expect(promote).toHaveBeenCalled());
    expect(promote.mock.calls[0][3]).toMatchObject({
      confirm: ['do-not-promote-verdict'],
      override: ['freeze'],
    });
  });

  it('offers no freeze override to a user without kargo.freeze.override', async () => {
    await renderCartDev({
      api: {
        getPromotionGates: async () => [
          deny('freeze', 'Frozen for the release', true),
        ],
      },
      authorize: r =>
        r.permission.name === 'kargo.freeze.override'
          ? AuthorizeResult.DENY
          : AuthorizeResult.ALLOW,
    });
    expect(
      await screen.findByText('Frozen for the release'),
    ).toBeInTheDocument();
    expect(
      screen.queryByLabelText(/Override the freeze/),
    ).not.toBeInTheDocument();
    expect(promoteButton()).toBeDisabled();
  });

  it('offers what the outcome flags allow, whatever the gate is called', async () => {
    await renderCartDev({
      api: {
        getPromotionGates: async () => [
          deny('freeze', 'The freeze gate failed: database down'),
          deny('change-board', 'No change ticket', true),
        ],
      },
    });
    expect(
      await screen.findByLabelText(
        'Override the change-board gate (recorded in the audit log)',
      ),
    ).toBeInTheDocument();
    // A deny that is not overridable stands, even from a gate named "freeze".
    expect(
      screen.queryByLabelText(/Override the freeze/),
    ).not.toBeInTheDocument();
    fireEvent.click(
      screen.getByLabelText(
        'Override the change-board gate (recorded in the audit log)',
      ),
    );
    expect(promoteButton()).toBeDisabled();
  });

  it('shows a failed gate preview as an error and keeps Promote disabled', async () => {
    await renderCartDev({
      api: {
        getPromotionGates: async () => {
          throw Object.assign(new Error('Request failed with 503'), {
            body: {
              error: { message: 'Kargo instance "sim" is unreachable' },
            },
          });
        },
      },
    });
    expect(
      await screen.findByText(
        'Could not ask the promotion gates: Kargo instance "sim" is unreachable',
      ),
    ).toBeInTheDocument();
    expect(promoteButton()).toBeDisabled();
  });

  it('shows soak time from the view, and offers freight whose soak has ended', async () => {
    const view = shopView();
    const prod = view.stages.find(s => s.name === 'prod')!;
    const [fresh] = view.freight;
    const until = new Date(Date.now() + 3_600_000).toISOString();
    prod.freightAvailability.unavailable[fresh.name] = {
      blockers: [
        {
          code: 'NotSoaked',
          stage: 'integration',
          requiredSoakTime: '1h',
          until,
        },
      ],
      availableAt: until,
    };
    const { unmount } = await renderWithKargo(
      <PromoteDialog
        view={view}
        stage={prod}
        freightName={fresh.name}
        onClose={jest.fn()}
      />,
    );
    expect(
      screen.getByText(
        `Kargo refuses this promotion: soak time (1h) in upstream Stage "integration" remaining until ${new Date(
          until,
        ).toLocaleString()}; and not approved for Stage "prod".`,
      ),
    ).toBeInTheDocument();
    unmount();

    const past = new Date(Date.now() - 1000).toISOString();
    prod.freightAvailability.unavailable[fresh.name].availableAt = past;
    await renderWithKargo(
      <PromoteDialog
        view={view}
        stage={{ ...prod, currentPromotion: undefined }}
        freightName={fresh.name}
        onClose={jest.fn()}
      />,
    );
    expect(screen.queryByText(/Kargo refuses/)).not.toBeInTheDocument();
    await waitFor(() => expect(promoteButton()).toBeEnabled());
  });

  describe('when the approval gate holds the freight back', () => {
    const approvalDeny = deny(
      'approval',
      'Promotions into cart-dev need 1 approval from release-managers',
    );

    it('requests approval with a comment and shows the request', async () => {
      const view = shopView();
      const freightName = view.stages[0].freightAvailability.available[0];
      const requestApproval = jest.fn(async () =>
        approvalRequest(freightName, {
          stage: 'cart-dev',
          comment: 'Sale starts Monday',
        }),
      );
      const listApprovalRequests = jest.fn(async () => []);
      await renderCartDev({
        api: {
          getPromotionGates: async () => [approvalDeny],
          listApprovalRequests,
          requestApproval,
        },
      });
      expect(
        await screen.findByText(
          'No approval was requested for this freight yet.',
        ),
      ).toBeInTheDocument();
      expect(listApprovalRequests).toHaveBeenCalledWith(
        { instance: 'sim', project: 'shop' },
        { stage: 'cart-dev' },
      );
      fireEvent.change(
        screen.getByLabelText('Comment for the approvers (optional)'),
        { target: { value: ' Sale starts Monday ' } },
      );
      const request = screen.getByRole('button', { name: 'Request approval' });
      await waitFor(() => expect(request).toBeEnabled());
      fireEvent.click(request);
      await waitFor(() =>
        expect(requestApproval).toHaveBeenCalledWith(
          { instance: 'sim', project: 'shop' },
          {
            stage: 'cart-dev',
            freight: freightName,
            comment: 'Sale starts Monday',
          },
        ),
      );
      expect(
        await screen.findByText('0 of 1 approval from release-managers'),
      ).toBeInTheDocument();
      expect(screen.getByText(/requested by sam at/)).toBeInTheDocument();
      // A pending request is not asked for twice, and the gate still holds.
      expect(
        screen.queryByRole('button', { name: 'Request approval' }),
      ).not.toBeInTheDocument();
      expect(promoteButton()).toBeDisabled();
    });

    it('says an approved request lets the freight through', async () => {
      const view = shopView();
      const freightName = view.stages[0].freightAvailability.available[0];
      view.approvals = {
        stages: { 'cart-dev': ['dev-approval'] },
        policies: [],
        requests: [
          approvalRequest(freightName, {
            stage: 'cart-dev',
            state: 'Approved',
            policies: [
              {
                policy: 'dev-approval',
                groups: ['group:default/release-managers'],
                required: 1,
                counted: 1,
              },
            ],
          }),
        ],
      };
      await renderWithKargo(
        <PromoteDialog
          view={view}
          stage={view.stages[0]}
          onClose={jest.fn()}
        />,
      );
      expect(
        await screen.findByText('Approved for cart-dev'),
      ).toBeInTheDocument();
      expect(
        screen.getByText('1 of 1 approval from release-managers'),
      ).toBeInTheDocument();
      await waitFor(() => expect(promoteButton()).toBeEnabled());
    });

    it("shows the freight's rejected request with its votes, and lets the user ask again", async () => {
      const view = shopView();
      const freightName = view.stages[0].freightAvailability.available[0];
      await renderCartDev({
        api: {
          getPromotionGates: async () => [approvalDeny],
          listApprovalRequests: async () => [
            approvalRequest('another-freight', { id: 'r0', stage: 'cart-dev' }),
            approvalRequest(freightName, {
              stage: 'cart-dev',
              state: 'Rejected',
              votes: [
                {
                  by: 'user:default/alex',
                  decision: 'Rejected',
                  comment: 'Not during the freeze',
                  at: '2026-11-02T12:00:00Z',
                  asMemberOf: 'group:default/release-managers',
                },
              ],
            }),
          ],
          requestApproval: async () => {
            throw Object.assign(new Error('Request failed with 403'), {
              body: {
                error: { message: 'Not allowed to promote into cart-dev' },
              },
            });
          },
        },
      });
      expect(
        await screen.findByText(
          /Rejected by alex \(as a member of release-managers\) at .*: “Not during the freeze”/,
        ),
      ).toBeInTheDocument();
      const request = screen.getByRole('button', { name: 'Request approval' });
      await waitFor(() => expect(request).toBeEnabled());
      fireEvent.click(request);
      expect(
        await screen.findByText(
          'Approval was not requested: Not allowed to promote into cart-dev',
        ),
      ).toBeInTheDocument();
    });
  });
});
