import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { renderWithKargo } from '../__testUtils__/testApis';
import {
  approvalRequest,
  shopView,
  shopViewWithApprovals,
} from '../__testUtils__/testViews';
import { StageDrawer } from './StageDrawer';

describe('StageDrawer', () => {
  it('shows the stage, its promotions with steps and PR, its freight history and verifications', async () => {
    const view = shopView();
    await renderWithKargo(
      <StageDrawer
        view={view}
        stage={view.stages[3]}
        onClose={jest.fn()}
        onPromote={jest.fn()}
      />,
    );
    expect(screen.getByText('Stage prod')).toBeInTheDocument();
    expect(
      screen.getByText('calm-capybara (2.4.0), daring-dingo (2.3.0)'),
    ).toBeInTheDocument();
    expect(screen.getByText('feedbeef1234')).toBeInTheDocument();
    expect(
      screen.getByText('cart ← integration; checkout ← integration'),
    ).toBeInTheDocument();
    expect(screen.getByText('pull request').closest('a')).toHaveAttribute(
      'href',
      'https://github.com/example/shop-deploy/pull/42',
    );
    expect(
      screen.getByText(
        /clone Succeeded → open-pr Succeeded → wait-for-pr Running/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText('verification Successful by kargo controller'),
    ).toBeInTheDocument();
  });

  it('renders nothing when no stage is chosen', async () => {
    await renderWithKargo(
      <StageDrawer
        view={shopView()}
        onClose={jest.fn()}
        onPromote={jest.fn()}
      />,
    );
    expect(screen.queryByText(/^Stage /)).not.toBeInTheDocument();
  });

  describe('approvals', () => {
    const withRequests = () =>
      shopViewWithApprovals(view => [
        approvalRequest(view.freight[2].name),
        approvalRequest(view.freight[1].name, {
          id: 'r2',
          requestedBy: 'user:default/kim',
          state: 'Approved',
          votes: [
            {
              by: 'user:default/alex',
              decision: 'Approved',
              at: '2026-11-02T12:00:00Z',
              asMemberOf: 'group:default/release-managers',
            },
          ],
          policies: [
            {
              policy: 'prod-approval',
              groups: ['group:default/release-managers'],
              required: 1,
              counted: 1,
            },
          ],
        }),
        approvalRequest(view.freight[0].name, { id: 'r3', stage: 'uat' }),
      ]);

    function renderProd(
      voteOnApprovalRequest: jest.Mock,
      onChange = jest.fn(),
    ) {
      const view = withRequests();
      return renderWithKargo(
        <StageDrawer
          view={view}
          stage={view.stages[3]}
          onClose={jest.fn()}
          onPromote={jest.fn()}
          onChange={onChange}
        />,
        { api: { voteOnApprovalRequest } },
      );
    }

    it("lists the stage's requests and approves a pending one with a comment", async () => {
      const voteOnApprovalRequest = jest.fn(async () =>
        approvalRequest('x', { state: 'Approved' }),
      );
      const onChange = jest.fn();
      await renderProd(voteOnApprovalRequest, onChange);
      const section = screen.getByRole('region', {
        name: 'Approvals for prod',
      });
      expect(
        within(section).getByText(
          'Promotions into prod need approval (prod-approval).',
        ),
      ).toBeInTheDocument();
      const pending = within(section).getByLabelText('Approval request r1');
      expect(
        within(pending).getByText(/daring-dingo \(2.3.0\)/),
      ).toBeInTheDocument();
      expect(
        within(pending).getByText(
          /requested by sam at .*“Coupons for the sale”/,
        ),
      ).toBeInTheDocument();
      expect(
        within(pending).getByText('0 of 1 approval from release-managers'),
      ).toBeInTheDocument();
      const approved = within(section).getByLabelText('Approval request r2');
      expect(
        within(approved).getByText('1 of 1 approval from release-managers'),
      ).toBeInTheDocument();
      expect(
        within(approved).getByText(
          /Approved by alex \(as a member of release-managers\)/,
        ),
      ).toBeInTheDocument();
      // Only the pending request is voted on, and uat's request is not prod's.
      expect(
        within(section).getAllByRole('button', { name: 'Approve' }),
      ).toHaveLength(1);
      expect(
        within(section).queryByLabelText('Approval request r3'),
      ).not.toBeInTheDocument();

      fireEvent.change(within(section).getByLabelText('Comment (optional)'), {
        target: { value: 'Looks good' },
      });
      fireEvent.click(within(section).getByRole('button', { name: 'Approve' }));
      await waitFor(() =>
        expect(voteOnApprovalRequest).toHaveBeenCalledWith(
          { instance: 'sim', project: 'shop' },
          'r1',
          { decision: 'Approved', comment: 'Looks good' },
        ),
      );
      await waitFor(() => expect(onChange).toHaveBeenCalled());
    });

    it("rejects, and shows the server's refusal clearly", async () => {
      const voteOnApprovalRequest = jest.fn(async () => {
        throw Object.assign(new Error('Request failed with 403'), {
          body: {
            error: {
              message:
                'user:default/sam is not a member of group:default/release-managers',
            },
          },
        });
      });
      const onChange = jest.fn();
      await renderProd(voteOnApprovalRequest, onChange);
      fireEvent.click(screen.getByRole('button', { name: 'Reject' }));
      expect(
        await screen.findByText(
          'Your vote was not counted: user:default/sam is not a member of group:default/release-managers',
        ),
      ).toBeInTheDocument();
      expect(voteOnApprovalRequest).toHaveBeenCalledWith(
        { instance: 'sim', project: 'shop' },
        'r1',
        { decision: 'Rejected' },
      );
      expect(onChange).not.toHaveBeenCalled();
    });

    it('offers no vote to the requester, to who answered, nor outside the groups, and says why', async () => {
      const view = shopViewWithApprovals(v => [
        approvalRequest(v.freight[2].name),
        approvalRequest(v.freight[1].name, {
          id: 'r2',
          votes: [
            {
              by: 'user:default/alex',
              decision: 'Approved',
              at: '2026-11-02T12:00:00Z',
              asMemberOf: 'group:default/release-managers',
            },
          ],
          policies: [
            {
              policy: 'prod-approval',
              groups: ['group:default/release-managers'],
              required: 2,
              counted: 1,
            },
          ],
        }),
      ]);
      const render = (identity: {
        userEntityRef: string;
        ownershipEntityRefs: string[];
      }) =>
        renderWithKargo(
          <StageDrawer
            view={view}
            stage={view.stages[3]}
            onClose={jest.fn()}
            onPromote={jest.fn()}
          />,
          { identity },
        );
      const votes = () =>
        within(
          screen.getByRole('region', { name: 'Approvals for prod' }),
        ).queryAllByRole('button', { name: 'Approve' });

      const sam = await render({
        userEntityRef: 'user:default/sam',
        ownershipEntityRefs: ['user:default/sam', 'group:default/shop'],
      });
      expect(
        await screen.findAllByText(
          'You asked for this approval: someone else answers it.',
        ),
      ).toHaveLength(2);
      expect(votes()).toHaveLength(0);
      sam.unmount();

      const kim = await render({
        userEntityRef: 'user:default/kim',
        ownershipEntityRefs: ['user:default/kim', 'group:default/shop'],
      });
      expect(
        await screen.findAllByText('Members of release-managers answer it.'),
      ).toHaveLength(2);
      expect(votes()).toHaveLength(0);
      kim.unmount();

      await render({
        userEntityRef: 'user:default/alex',
        ownershipEntityRefs: [
          'user:default/alex',
          'group:default/release-managers',
        ],
      });
      expect(
        await screen.findByText('You answered this request.'),
      ).toBeInTheDocument();
      expect(votes()).toHaveLength(1);
    });

    it('says nothing of approvals for a stage no policy selects', async () => {
      const view = withRequests();
      await renderWithKargo(
        <StageDrawer
          view={view}
          stage={view.stages[0]}
          onClose={jest.fn()}
          onPromote={jest.fn()}
        />,
      );
      expect(screen.queryByText('Approvals')).not.toBeInTheDocument();
    });
  });
});
