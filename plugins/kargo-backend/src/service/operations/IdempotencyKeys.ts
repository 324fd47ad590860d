import { CacheService } from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import { JsonValue } from '@backstage/types';

/** What a mutation answered, kept so that a retry gets the same answer. */
export interface StoredResponse {
  status: number;
  body: JsonValue;
}

interface Record {
  fingerprint: string;
  response: StoredResponse;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * `Idempotency-Key` handling: the first successful answer for a (user, key) is remembered for a
 * day and replayed to retries, so a retried promote creates no second Promotion. Concurrent
 * retries wait for the first attempt. Failures are not remembered: nothing was created, so a
 * retry may try again. A key reused for a different request is refused.
 */
export class IdempotencyKeys {
  private readonly inFlight = new Map<string, Promise<Record>>();

  constructor(
    private readonly cache: CacheService,
    private readonly ttlMs = DAY_MS,
  ) {}

  async run(
    scope: { user: string; key?: string; fingerprint: string },
    work: () => Promise<StoredResponse>,
  ): Promise<StoredResponse & { replayed: boolean }> {
    if (!scope.key) return { ...(await work()), replayed: false };
    const cacheKey = `idempotency:${scope.user}:${scope.key}`;
    const running = this.inFlight.get(cacheKey);
    const stored =
      (running ? await running.catch(() => undefined) : undefined) ??
      ((await this.cache.get(cacheKey)) as Record | undefined);
    if (stored) {
      if (stored.fingerprint !== scope.fingerprint) {
        throw new ConflictError(
          `Idempotency-Key "${scope.key}" was already used for a different request`,
        );
      }
      return { ...stored.response, replayed: true };
    }
    const attempt = work().then(async response => {
      const record = { fingerprint: scope.fingerprint, response };
      await this.cache.set(cacheKey, record as unknown as JsonValue, {
        ttl: this.ttlMs,
      });
      return record;
    });
    this.inFlight.set(cacheKey, attempt);
    try {
      return { ...(await attempt).response, replayed: false };
    } finally {
      this.inFlight.delete(cacheKey);
    }
  }
}
