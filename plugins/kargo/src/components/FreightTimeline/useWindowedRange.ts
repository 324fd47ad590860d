import {
  useCallback,
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
} from 'react';

export interface WindowedRangeOptions {
  /** How many items the list has. */
  count: number;
  /** From one item's start to the next one's, in pixels. */
  size: number;
  /** The axis the list scrolls along. */
  axis: 'x' | 'y';
  /** Items rendered beyond each edge, so keyboard focus and quick scrolls find them there. */
  overscan?: number;
  /** Items rendered before the list is measured (and in jsdom, which measures nothing). */
  unmeasured?: number;
}

/**
 * Which items of a scrolling list of equal items are in view: the only ones worth rendering when
 * a project has thousands of freight. Give `ref` and `onScroll` to the scrolling element and
 * render items `start` to `end` (exclusive), with the space of the others left empty.
 */
export function useWindowedRange<T extends HTMLElement>(
  options: WindowedRangeOptions,
) {
  const { count, size, axis, overscan = 3, unmeasured = 20 } = options;
  const ref = useRef<T>(null);
  const [range, setRange] = useState(() => ({
    start: 0,
    end: Math.min(count, unmeasured),
  }));
  const update = useCallback(() => {
    const el = ref.current;
    const viewport = (axis === 'x' ? el?.clientWidth : el?.clientHeight) ?? 0;
    const offset = (axis === 'x' ? el?.scrollLeft : el?.scrollTop) ?? 0;
    const first = Math.floor(offset / size);
    const visible = viewport > 0 ? Math.ceil(viewport / size) + 1 : unmeasured;
    const start = Math.max(0, Math.min(first, count) - overscan);
    const end = Math.min(count, first + visible + overscan);
    setRange(r => (r.start === start && r.end === end ? r : { start, end }));
  }, [axis, count, size, overscan, unmeasured]);

  // Again whenever the list changes (a filter, loaded freight), before the browser paints.
  useLayoutEffect(update, [update]);
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === 'undefined') return undefined;
    const observer = new ResizeObserver(() => update());
    observer.observe(el);
    return () => observer.disconnect();
  }, [update]);

  // Clamped here too: the state can trail a shrinking list by one render.
  return {
    ref,
    start: Math.min(range.start, count),
    end: Math.min(range.end, count),
    onScroll: update,
  };
}
