import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { renderWithKargo } from '../__testUtils__/testApis';
import { shopView } from '../__testUtils__/testViews';
import { FreightActions } from './FreightActions';
import { StageActions } from './StageActions';

const button = (name: string) => screen.getByRole('button', { name });

describe('StageActions', () => {
  it('calls the backend for refresh, re-verify, abort verification and abort promotion', async () => {
    const view = shopView();
    const api = {
      refreshStage: jest.fn(async () => {}),
      reverify: jest.fn(async () => {}),
      abortVerification: jest.fn(async () => {}),
      abortPromotion: jest.fn(async () => {}),
    };
    const onPromote = jest.fn();
    await renderWithKargo(
      <StageActions view={view} stage={view.stages[3]} onPromote={onPromote} />,
      { api },
    );
    await waitFor(() => expect(button('Refresh')).toBeEnabled());
    const ref = { instance: 'sim', project: 'shop' };
    fireEvent.click(button('Refresh'));
    await waitFor(() =>
      expect(api.refreshStage).toHaveBeenCalledWith(ref, 'prod'),
    );
    fireEvent.click(button('Re-verify'));
    fireEvent.click(button('Abort verification'));
    fireEvent.click(button('Abort promotion'));
    await waitFor(() =>
      expect(api.abortPromotion).toHaveBeenCalledWith(
        ref,
        'prod.01abc.brave-b',
      ),
    );
    expect(api.reverify).toHaveBeenCalledWith(ref, 'prod');
    expect(api.abortVerification).toHaveBeenCalledWith(ref, 'prod');
    fireEvent.click(button('Promote…'));
    expect(onPromote).toHaveBeenCalled();
  });

  it('disables every action for a user the policy denies', async () => {
    const view = shopView();
    await renderWithKargo(
      <StageActions view={view} stage={view.stages[3]} onPromote={jest.fn()} />,
      { authorize: AuthorizeResult.DENY },
    );
    for (const name of [
      'Promote…',
      'Promote downstream',
      'Refresh',
      'Re-verify',
      'Abort verification',
      'Abort promotion',
    ]) {
      await waitFor(() => expect(button(name)).toBeDisabled());
    }
  });

  it('follows a conditional policy: allowed in dev stages, not in prod', async () => {
    const view = shopView();
    const authorize = (r: any) =>
      r.resourceRef?.endsWith('/prod')
        ? AuthorizeResult.DENY
        : AuthorizeResult.ALLOW;
    const { unmount } = await renderWithKargo(
      <StageActions view={view} stage={view.stages[0]} onPromote={jest.fn()} />,
      { authorize },
    );
    await waitFor(() => expect(button('Refresh')).toBeEnabled());
    unmount();
    await renderWithKargo(
      <StageActions view={view} stage={view.stages[3]} onPromote={jest.fn()} />,
      { authorize },
    );
    await waitFor(() => expect(button('Refresh')).toBeDisabled());
  });
});

describe('FreightActions', () => {
  it('approves for the chosen stage and sets an alias', async () => {
    const view = shopView();
    const freight = view.freight.find(f => f.alias === 'brave-badger')!;
    const api = {
      approveFreight: jest.fn(async () => {}),
      updateFreightAlias: jest.fn(async () => {}),
    };
    await renderWithKargo(
      <FreightActions view={view} freight={freight} onPromote={jest.fn()} />,
      { api },
    );
    await waitFor(() => expect(button('Approve')).toBeEnabled());
    fireEvent.click(button('Approve'));
    await waitFor(() =>
      expect(api.approveFreight).toHaveBeenCalledWith(
        { instance: 'sim', project: 'shop' },
        freight.name,
        'cart-dev',
      ),
    );
    expect(button('Set alias')).toBeDisabled();
    fireEvent.change(screen.getByLabelText('Alias'), {
      target: { value: 'release-1' },
    });
    fireEvent.click(button('Set alias'));
    await waitFor(() =>
      expect(api.updateFreightAlias).toHaveBeenCalledWith(
        { instance: 'sim', project: 'shop' },
        freight.name,
        'release-1',
      ),
    );
  });

  it('disables promote, approve and alias for a denied user', async () => {
    const view = shopView();
    await renderWithKargo(
      <FreightActions
        view={view}
        freight={view.freight[0]}
        onPromote={jest.fn()}
      />,
      { authorize: AuthorizeResult.DENY },
    );
    await waitFor(() => expect(button('Promote…')).toBeDisabled());
    expect(button('Approve')).toBeDisabled();
    expect(button('Set alias')).toBeDisabled();
  });
});
