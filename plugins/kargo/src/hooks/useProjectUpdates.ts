import { kargoProjectChannel } from '@kargo-backstage/plugin-kargo-common';
import { useSignal } from '@backstage/plugin-signals-react';
import { useEffect } from 'react';
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
  useEffect(() => {
    if (lastSignal) onChange();
  }, [lastSignal, onChange]);
  useEffect(() => {
    if (isSignalsAvailable) return undefined;
    const poll = setInterval(onChange, FALLBACK_POLL_MS);
    return () => clearInterval(poll);
  }, [isSignalsAvailable, onChange]);
}
