import { CacheService } from '@backstage/backend-plugin-api';
import type {
  FreightMetadataView,
  PromotionWindowView,
} from '@kargo-backstage/plugin-kargo-common';
import { KargoStore, ProjectRef } from '../database';

/** A stamp that expires only makes views read the database again. */
const STAMP_TTL_MS = 6 * 60 * 60 * 1000;
/** The stamp of data every project shows. */
const EVERYWHERE = 'portal-data:*';

interface Remembered {
  stamp: string;
  /** Freight looked up so far: its metadata, or null for none. */
  metadata: Map<string, FreightMetadataView | null>;
  windows?: PromotionWindowView[];
}

/**
 * The portal's own data that views show (freight metadata and enrichments, promotion windows),
 * kept in-process per project and checked against a stamp in the cache service that every write
 * renews (see `renewingStamps`). Kargo changes far more often than this data, so a view reads
 * only freight it has not seen; on every replica, a write elsewhere is seen at the next view.
 */
export class PortalData {
  private readonly remembered = new Map<string, Remembered>();

  constructor(
    private readonly store: KargoStore,
    private readonly cache: CacheService,
  ) {}

  async forView(
    ref: ProjectRef,
    freight: string[],
  ): Promise<{
    /** Changes with every write of the project's portal data. */
    stamp: string;
    metadata: Map<string, FreightMetadataView>;
    windows: PromotionWindowView[];
  }> {
    const key = PortalData.key(ref);
    // Stop-the-line freezes change every project's windows: a stamp of their own.
    const stamp = `${await this.stamp(key)} ${await this.stamp(EVERYWHERE)}`;
    let memo = this.remembered.get(key);
    if (memo?.stamp !== stamp) {
      memo = { stamp, metadata: new Map() };
      this.remembered.delete(key);
      this.remembered.set(key, memo);
      // Some hundred projects at most; the oldest goes first.
      if (this.remembered.size > 200) {
        this.remembered.delete(this.remembered.keys().next().value!);
      }
    }
    const unseen = freight.filter(f => !memo.metadata.has(f));
    const [found, windows] = await Promise.all([
      unseen.length
        ? this.store.getFreightMetadata(ref, unseen)
        : new Map<string, FreightMetadataView>(),
      memo.windows ?? this.store.listPromotionWindows(ref),
    ]);
    for (const f of unseen) memo.metadata.set(f, found.get(f) ?? null);
    memo.windows = windows;
    const metadata = new Map<string, FreightMetadataView>();
    for (const f of freight) {
      const m = memo.metadata.get(f);
      if (m) metadata.set(f, m);
    }
    return { stamp, metadata, windows };
  }

  /** Called after a write that every project shows (stop-the-line), on whichever replica. */
  async changedEverywhere(): Promise<void> {
    await this.cache.set(EVERYWHERE, PortalData.newStamp(), {
      ttl: STAMP_TTL_MS,
    });
  }

  /** Called after every write of the project's portal data, on whichever replica. */
  async changed(ref: ProjectRef): Promise<void> {
    await this.cache.set(PortalData.key(ref), PortalData.newStamp(), {
      ttl: STAMP_TTL_MS,
    });
  }

  private async stamp(key: string): Promise<string> {
    const stamp = (await this.cache.get(key)) as string | undefined;
    if (stamp) return stamp;
    const fresh = PortalData.newStamp();
    await this.cache.set(key, fresh, { ttl: STAMP_TTL_MS });
    return fresh;
  }

  private static key({ instance, project }: ProjectRef) {
    return `portal-data:${instance}:${project}`;
  }

  private static newStamp() {
    return `${Date.now()}/${Math.random()}`;
  }
}

/** The store, with every write of data that views show renewing the project's stamp. */
export function renewingStamps(
  store: KargoStore,
  portalData: PortalData,
): KargoStore {
  const renew = async <T>(ref: ProjectRef, write: Promise<T>) => {
    const result = await write;
    await portalData.changed(ref);
    return result;
  };
  return {
    getFreightMetadata: (ref, freight) =>
      store.getFreightMetadata(ref, freight),
    putFreightMetadata: (ref, freight, input, by, at) =>
      renew(ref, store.putFreightMetadata(ref, freight, input, by, at)),
    getFreightMetadataHistory: (ref, freight) =>
      store.getFreightMetadataHistory(ref, freight),
    putEnrichment: (ref, freight, enricher, content, at) =>
      renew(ref, store.putEnrichment(ref, freight, enricher, content, at)),
    enrichedFreight: (ref, enricher, freight) =>
      store.enrichedFreight(ref, enricher, freight),
    listPromotionWindows: ref => store.listPromotionWindows(ref),
    projectsWithPromotionWindows: () => store.projectsWithPromotionWindows(),
    createPromotionWindow: (ref, window) =>
      renew(ref, store.createPromotionWindow(ref, window)),
    deletePromotionWindow: (ref, name) =>
      renew(ref, store.deletePromotionWindow(ref, name)),
    listAutoPromotionHolds: ref => store.listAutoPromotionHolds(ref),
    putAutoPromotionHold: (ref, hold) => store.putAutoPromotionHold(ref, hold),
    deleteAutoPromotionHold: (ref, stage) =>
      store.deleteAutoPromotionHold(ref, stage),
  };
}
