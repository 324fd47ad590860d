import { TestApiProvider } from '@backstage/test-utils';
import { act, renderHook, waitFor } from '@testing-library/react';
import { ReactNode } from 'react';
import { kargoApiRef } from '../api';
import { shopView, testKargoApi } from '../components/__testUtils__/testViews';
import { useKargoEntityView } from './useKargoEntityView';

const entityView = () => ({ entityRef: 'x', projects: [shopView()] });

function renderView(getEntityView: jest.Mock, freightLimit?: number) {
  const api = testKargoApi({ getEntityView });
  return renderHook(
    (props: { freightLimit?: number }) =>
      useKargoEntityView('component:default/storefront', props.freightLimit),
    {
      initialProps: { freightLimit },
      wrapper: ({ children }: { children: ReactNode }) => (
        <TestApiProvider apis={[[kargoApiRef, api]]}>
          {children}
        </TestApiProvider>
      ),
    },
  );
}

describe('useKargoEntityView', () => {
  it('leaves the freight limit to the backend unless given', async () => {
    const getEntityView = jest.fn(async () => entityView());
    const { result } = renderView(getEntityView);
    await waitFor(() => expect(result.current.view).toBeDefined());
    expect(getEntityView).toHaveBeenCalledWith('component:default/storefront');
  });

  it('keeps the freight limit on live refreshes and shows the old view while loading more', async () => {
    let resolve: () => void = () => {};
    const getEntityView = jest.fn(async () => entityView());
    const { result, rerender } = renderView(getEntityView);
    await waitFor(() => expect(result.current.view).toBeDefined());

    getEntityView.mockImplementationOnce(
      () =>
        new Promise(r => {
          resolve = () => r(entityView());
        }),
    );
    rerender({ freightLimit: 100 });
    await waitFor(() => expect(result.current.loadingFreight).toBe(true));
    expect(result.current.view).toBeDefined();
    expect(getEntityView).toHaveBeenLastCalledWith(
      'component:default/storefront',
      { freightLimit: 100 },
    );
    await act(async () => resolve());
    await waitFor(() => expect(result.current.loadingFreight).toBe(false));

    act(() => result.current.refresh());
    await waitFor(() => expect(getEntityView).toHaveBeenCalledTimes(3));
    expect(getEntityView).toHaveBeenLastCalledWith(
      'component:default/storefront',
      { freightLimit: 100 },
    );
    // A live refresh is not loading more freight.
    expect(result.current.loadingFreight).toBe(false);
  });

  it('refetches at once on a change signal, and once more after a burst of them', async () => {
    jest.useFakeTimers();
    try {
      const getEntityView = jest.fn(async () => entityView());
      const { result } = renderView(getEntityView);
      await waitFor(() => expect(result.current.view).toBeDefined());
      expect(getEntityView).toHaveBeenCalledTimes(1);

      act(() => result.current.refresh());
      expect(getEntityView).toHaveBeenCalledTimes(2); // no wait
      act(() => {
        result.current.refresh();
        result.current.refresh();
      });
      expect(getEntityView).toHaveBeenCalledTimes(2);
      await act(async () => {
        jest.advanceTimersByTime(150);
      });
      expect(getEntityView).toHaveBeenCalledTimes(3);
      // A single signal later: at once again, and nothing after it.
      act(() => result.current.refresh());
      await act(async () => {
        jest.advanceTimersByTime(150);
      });
      expect(getEntityView).toHaveBeenCalledTimes(4);
    } finally {
      jest.useRealTimers();
    }
  });
});
