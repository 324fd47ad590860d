import { KARGO_LINE_STOPS_CHANNEL } from '@kargo-backstage/plugin-kargo-common';
import { useSignal } from '@backstage/plugin-signals-react';
import { useEffect } from 'react';
import { useLatest } from './useProjectUpdates';

/**
 * Calls `onChange` when a stop-the-line freeze starts or ends anywhere (a Backstage signal).
 * Without the signals plugin, the project polling of useProjectUpdates refetches the view.
 */
export function useLineStopUpdates(onChange: () => void) {
  const { lastSignal } = useSignal(KARGO_LINE_STOPS_CHANNEL);
  const latest = useLatest(onChange);
  useEffect(() => {
    if (lastSignal) latest.current();
  }, [lastSignal, latest]);
}
