import { ConflictError } from '@backstage/errors';
import { JsonValue } from '@backstage/types';
import { Knex } from 'knex';
import { isOutcomeUnknown } from '@kargo-backstage/plugin-kargo-node';
import { createHash } from 'node:crypto';
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
  status: 'pending' | 'done' | 'unknown';
  response: string | null;
  created_at: number | string;
}

const TABLE = 'kargo_idempotency_keys';
type Where = { user_ref: string; idempotency_key: string };
const DAY_MS = 24 * 60 * 60 * 1000;
/** A first attempt pending longer than this was interrupted (its replica died). */
const ABANDONED_MS = 10 * 60 * 1000;

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/**
 * `Idempotency-Key` handling, in the plugin's database so that it holds across replicas: the
 * first attempt per (user, key) claims the key with a row, its successful answer is kept for a
 * day and replayed to retries (`replayed`), so a retried promote creates no second Promotion.
 * Retries that arrive while the first attempt runs — on any replica — wait for its answer.
 * A failure releases the key (nothing was created: a retry may try again). A lost answer (a
 * timeout: Kargo may have done it) keeps the key as `unknown`: the next retry first asks
 * `recover` what the first attempt left in Kargo and adopts it, and only tries again when it
 * finds nothing. A key reused for a different request is refused.
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
    request: { user: string; key?: string; fingerprint: string },
    work: () => Promise<StoredResponse>,
    /** What the first attempt did in Kargo, if anything, since it began (ms). */
    recover?: (since: number) => Promise<StoredResponse | undefined>,
  ): Promise<StoredResponse & { replayed: boolean }> {
    if (!request.key) return { ...(await work()), replayed: false };
    // Hashed: the column is bounded, the request (names of instance, project, stage) is not.
    const scope = {
      ...request,
      fingerprint: createHash('sha256')
        .update(request.fingerprint)
        .digest('hex'),
    };
    const where: Where = { user_ref: scope.user, idempotency_key: request.key };
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
      if (row.status === 'unknown') {
        // One retry (on any replica) takes it over; the others wait for its answer.
        const taken = await this.db(TABLE)
          .where({ ...where, status: 'unknown' })
          .update({ status: 'pending' });
        if (!taken) continue;
        const found = await recover?.(Number(row.created_at)).catch(
          async error => {
            // Still unknown: the next retry looks again.
            await this.markUnknown(where);
            throw error;
          },
        );
        if (found) {
          await this.done(where, found);
          return { ...found, replayed: true };
        }
        break; // nothing in Kargo: this retry does the work
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
      return this.settle(where, error);
    }
    await this.done(where, response);
    return { ...response, replayed: false };
  }

  private async done(where: Where, response: StoredResponse) {
    await this.db(TABLE)
      .where(where)
      .update({ status: 'done', response: JSON.stringify(response) });
  }

  /** The attempt holding the key may have happened in Kargo: the next retry finds out. */
  private async markUnknown(where: Where) {
    await this.db(TABLE)
      .where({ ...where, status: 'pending' })
      .update({ status: 'unknown' });
  }

  /** After a failed attempt: release the key, or keep it when Kargo may have done the work. */
  private async settle(where: Where, error: unknown): Promise<never> {
    if (isOutcomeUnknown(error)) {
      await this.markUnknown(where);
    } else {
      await this.db(TABLE)
        .where({ ...where, status: 'pending' })
        .delete();
    }
    throw error;
  }

  /** Forgets answers older than a day (run by the scheduler). */
  async prune(): Promise<number> {
    return this.db(TABLE)
      .where('created_at', '<', this.now() - (this.options.ttlMs ?? DAY_MS))
      .delete();
  }

  private async claim(
    scope: { fingerprint: string },
    where: Where,
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
