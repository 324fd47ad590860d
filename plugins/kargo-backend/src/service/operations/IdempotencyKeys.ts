import { ConflictError } from '@backstage/errors';
import { JsonValue } from '@backstage/types';
import { Knex } from 'knex';
import { isUniqueViolation } from '../../database/DatabaseKargoStore';

/** What a mutation answered, kept so that a retry gets the same answer. */
export interface StoredResponse {
  status: number;
  body: JsonValue;
}

interface Row {
  user_ref: string;
  idempotency_key: string;
  fingerprint: string;
  status: 'pending' | 'done';
  response: string | null;
  created_at: number | string;
}

const TABLE = 'kargo_idempotency_keys';
const DAY_MS = 24 * 60 * 60 * 1000;
/** A first attempt pending longer than this was interrupted (its replica died). */
const ABANDONED_MS = 10 * 60 * 1000;

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/**
 * `Idempotency-Key` handling, in the plugin's database so that it holds across replicas: the
 * first attempt per (user, key) claims the key with a row, its successful answer is kept for a
 * day and replayed to retries (`replayed`), so a retried promote creates no second Promotion.
 * Retries that arrive while the first attempt runs — on any replica — wait for its answer.
 * A failure releases the key (nothing was created: a retry may try again). A key reused for a
 * different request is refused.
 */
export class IdempotencyKeys {
  constructor(
    private readonly db: Knex,
    private readonly options: {
      ttlMs?: number;
      pollMs?: number;
      waitMs?: number;
      now?: () => number;
    } = {},
  ) {}

  private now() {
    return this.options.now?.() ?? Date.now();
  }

  async run(
    scope: { user: string; key?: string; fingerprint: string },
    work: () => Promise<StoredResponse>,
  ): Promise<StoredResponse & { replayed: boolean }> {
    if (!scope.key) return { ...(await work()), replayed: false };
    const where = { user_ref: scope.user, idempotency_key: scope.key };
    const waitUntil = this.now() + (this.options.waitMs ?? 60_000);
    for (;;) {
      if (await this.claim(scope, where)) break;
      const row = await this.db<Row>(TABLE).where(where).first();
      if (!row) continue; // released by a failed attempt: claim it now
      if (row.fingerprint !== scope.fingerprint) {
        throw new ConflictError(
          `Idempotency-Key "${scope.key}" was already used for a different request`,
        );
      }
      if (row.status === 'done') {
        return {
          ...(JSON.parse(row.response!) as StoredResponse),
          replayed: true,
        };
      }
      if (this.now() - Number(row.created_at) > ABANDONED_MS) {
        throw new ConflictError(
          `The first request with Idempotency-Key "${scope.key}" was interrupted; check whether it took effect, then retry with a new key`,
        );
      }
      if (this.now() > waitUntil) {
        throw new ConflictError(
          `A request with Idempotency-Key "${scope.key}" is still running`,
        );
      }
      await sleep(this.options.pollMs ?? 100);
    }
    let response: StoredResponse;
    try {
      response = await work();
    } catch (error) {
      await this.db(TABLE)
        .where({ ...where, status: 'pending' })
        .delete();
      throw error;
    }
    await this.db(TABLE)
      .where(where)
      .update({ status: 'done', response: JSON.stringify(response) });
    return { ...response, replayed: false };
  }

  /** Forgets answers older than a day (run by the scheduler). */
  async prune(): Promise<number> {
    return this.db(TABLE)
      .where('created_at', '<', this.now() - (this.options.ttlMs ?? DAY_MS))
      .delete();
  }

  private async claim(
    scope: { fingerprint: string },
    where: { user_ref: string; idempotency_key: string },
  ): Promise<boolean> {
    // A day-old answer no longer counts.
    await this.db(TABLE)
      .where(where)
      .andWhere('created_at', '<', this.now() - (this.options.ttlMs ?? DAY_MS))
      .delete();
    try {
      await this.db(TABLE).insert({
        ...where,
        fingerprint: scope.fingerprint,
        status: 'pending',
        response: null,
        created_at: this.now(),
      });
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }
}
