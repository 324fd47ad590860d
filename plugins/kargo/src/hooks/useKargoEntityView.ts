import { useApi } from '@backstage/core-plugin-api';
import { useCallback, useEffect, useRef } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { kargoApiRef } from '../api';

/** Polling interval when live updates (the signals plugin) are not installed. */
export const FALLBACK_POLL_MS = 10_000;

/**
 * The Kargo view of an entity, with a `refresh` that live updates call. Keeps showing the last
 * good view while a refresh runs, so updates do not make the page jump.
 */
export function useKargoEntityView(entityRef: string) {
  const kargoApi = useApi(kargoApiRef);
  const state = useAsyncRetry(
    () => kargoApi.getEntityView(entityRef),
    [kargoApi, entityRef],
  );
  const last = useRef(state.value);
  if (state.value) last.current = state.value;

  // Collapse bursts of change signals into one refetch.
  const timer = useRef<ReturnType<typeof setTimeout>>();
  const { retry } = state;
  const refresh = useCallback(() => {
    if (timer.current) return;
    timer.current = setTimeout(() => {
      timer.current = undefined;
      retry();
    }, 150);
  }, [retry]);
  useEffect(() => () => clearTimeout(timer.current), []);

  return {
    view: state.value ?? last.current,
    loading: state.loading && !last.current,
    error: state.value || last.current ? undefined : state.error,
    refresh,
  };
}
