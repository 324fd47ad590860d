import { RefObject, useEffect } from 'react';

/** A request to go to a stage; `at` tells a second request for the same stage from the first. */
export interface StageTarget {
  name: string;
  at: number;
}

/**
 * Scrolls the stage's node into the middle of the view and focuses it, so Enter opens it. The
 * graph lays a node out after rendering it (dagre, then the node's measured size), and may
 * turn when a freightline expands, so the node is looked for again while the layout settles.
 */
export function useScrollToStage(
  root: RefObject<HTMLElement>,
  target: StageTarget | undefined,
) {
  useEffect(() => {
    if (!target) return undefined;
    const timers = [0, 300, 800].map(delay =>
      setTimeout(() => {
        const node = Array.from(
          root.current?.querySelectorAll<HTMLElement>('[data-stage]') ?? [],
        ).find(n => n.dataset.stage === target.name);
        if (!node) return;
        node.scrollIntoView?.({
          block: 'center',
          inline: 'center',
          behavior: 'smooth',
        });
        node.focus({ preventScroll: true });
      }, delay),
    );
    return () => timers.forEach(clearTimeout);
  }, [root, target]);
}
