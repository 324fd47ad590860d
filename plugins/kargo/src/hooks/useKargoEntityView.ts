import { useApi } from '@backstage/core-plugin-api';
import { useCallback, useEffect, useRef } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { kargoApiRef } from '../api';

/** Polling interval when live updates (the signals plugin) are not installed. */
export const FALLBACK_POLL_MS = 10_000;
/** Change signals this close together make at most two refetches. */
const BURST_MS = 150;

/**
 * The Kargo view of an entity, with a `refresh` that live updates call. Keeps showing the last
 * good view while a refresh runs, so updates do not make the page jump.
 *
 * `freightLimit` (freight per warehouse) is part of every fetch, live refreshes included, so
 * freight the user loaded stays shown; left out, the backend's default applies.
 */
export function useKargoEntityView(entityRef: string, freightLimit?: number) {
  const kargoApi = useApi(kargoApiRef);
  const state = useAsyncRetry(async () => {
    const view = await (freightLimit === undefined
      ? kargoApi.getEntityView(entityRef)
      : kargoApi.getEntityView(entityRef, { freightLimit }));
    return { view, freightLimit };
  }, [kargoApi, entityRef, freightLimit]);
  const last = useRef(state.value);
  if (state.value) last.current = state.value;
  const shown = state.value ?? last.current;

  // The first signal of a burst refetches at once (a change shows without waiting); the rest
  // of the burst makes one more refetch when it has passed.
  const timer = useRef<ReturnType<typeof setTimeout>>();
  const again = useRef(false);
  const { retry } = state;
  const refresh = useCallback(() => {
    if (timer.current) {
      again.current = true;
      return;
    }
    retry();
    timer.current = setTimeout(() => {
      timer.current = undefined;
      if (again.current) {
        again.current = false;
        retry();
      }
    }, BURST_MS);
  }, [retry]);
  useEffect(() => () => clearTimeout(timer.current), []);

  return {
    view: shown?.view,
    loading: state.loading && !shown,
    error: shown ? undefined : state.error,
    refresh,
    /** A larger freightLimit is being fetched: the shown view has fewer freight than asked for. */
    loadingFreight: state.loading && shown?.freightLimit !== freightLimit,
  };
}
