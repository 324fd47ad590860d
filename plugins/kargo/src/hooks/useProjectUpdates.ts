import { kargoProjectChannel } from '@kargo-backstage/plugin-kargo-common';
import { useSignal } from '@backstage/plugin-signals-react';
import { useEffect, useRef } from 'react';
import { FALLBACK_POLL_MS } from './useKargoEntityView';

/**
 * Calls `onChange` when Kargo reports a change in the project (a Backstage signal from the
 * backend's watch), or every FALLBACK_POLL_MS when signals are not installed.
 */
export function useProjectUpdates(
  instance: string,
  project: string,
  onChange: () => void,
) {
  const { lastSignal, isSignalsAvailable } = useSignal(
    kargoProjectChannel(instance, project),
  );
  const latest = useLatest(onChange);
  useEffect(() => {
    if (lastSignal) latest.current();
  }, [lastSignal, latest]);
  useEffect(() => {
    if (isSignalsAvailable) return undefined;
    const poll = setInterval(() => latest.current(), FALLBACK_POLL_MS);
    return () => clearInterval(poll);
  }, [isSignalsAvailable, latest]);
}

/**
 * The latest callback, read when a signal comes: a signal is acted on once, not again each time
 * the callback changes (a refetch changes it, which would refetch again, without end).
 */
export function useLatest<T>(value: T): { readonly current: T } {
  const ref = useRef(value);
  ref.current = value;
  return ref;
}
