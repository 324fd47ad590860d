/** Freight per warehouse the backend sends when the portal does not ask for more. */
export const DEFAULT_FREIGHT_LIMIT = 50;
/** How many more freight per warehouse each "Load more" asks for. */
export const FREIGHT_PAGE = 50;
/** The backend's cap on freightLimit; beyond it, Kargo's own UI shows the rest. */
export const MAX_FREIGHT_LIMIT = 500;

/** The freightLimit after one more "Load more", never above MAX_FREIGHT_LIMIT. */
export function nextFreightLimit(limit = DEFAULT_FREIGHT_LIMIT): number {
  return Math.min(MAX_FREIGHT_LIMIT, limit + FREIGHT_PAGE);
}

/** How far the freight of each warehouse is loaded, and how to load more. */
export interface FreightPaging {
  /** Freight per warehouse in Kargo (the view's freightTotal). */
  total: Record<string, number>;
  /** The freightLimit the shown view was fetched with. */
  limit: number;
  /** A larger limit is being fetched. */
  loading?: boolean;
  /** Absent where the view cannot be refetched: then only the count and Kargo's link show. */
  onLoadMore?(): void;
  /** The project in Kargo's UI, for freight beyond what the portal loads. */
  kargoUrl?: string;
}

/** What ends a warehouse's row of freight: nothing, "Load more", or the rest in Kargo. */
export type MoreFreight =
  | { kind: 'none' }
  | { kind: 'load'; notShown: number }
  | { kind: 'inKargo'; notShown: number };

export function moreFreight(
  paging: FreightPaging | undefined,
  warehouse: string,
  shown: number,
): MoreFreight {
  const notShown = (paging?.total[warehouse] ?? 0) - shown;
  if (!paging || notShown <= 0) return { kind: 'none' };
  return paging.onLoadMore && paging.limit < MAX_FREIGHT_LIMIT
    ? { kind: 'load', notShown }
    : { kind: 'inKargo', notShown };
}
