import { LoggerService } from '@backstage/backend-plugin-api';
import {
  NotImplementedError,
  ServiceUnavailableError,
} from '@backstage/errors';
import type { KargoPaths } from '@kargo-backstage/plugin-kargo-common';
import {
  isTransient,
  kargoResponseError,
  KargoOutcomeUnknownError,
} from './kargoErrors';
import { KargoInstanceConfig } from './KargoInstanceConfig';
import { breaks } from '../eventLoop';
import { parseInSlices } from './parseInSlices';

/** Query parameters; lists are sent as repeated keys. @public */
export type KargoQuery = Record<
  string,
  string | string[] | boolean | undefined
>;

/** What the transport sends; numbers too, as the OpenAPI document types some parameters. */
export type TransportQuery = Record<
  string,
  string | string[] | number | boolean | undefined
>;

export interface RequestOptions {
  query?: TransportQuery;
  body?: unknown;
  /** Raw text body (YAML manifests). */
  text?: string;
  /** Only idempotent reads are retried. */
  retry?: boolean;
  /**
   * Kargo answers with a body (reads, promotions): an empty 2xx answer is an error that Kargo
   * before v1.11.1 left unreported (its handleError wrote nothing, so gin sent 200; see
   * pkg/server/rest_router.go at v1.10.10).
   */
  expectBody?: boolean;
}

/** Fills `{param}` segments of a Kargo path template, encoded. */
export function fill(
  template: keyof KargoPaths,
  params: Record<string, string>,
): string {
  return (template as string).replace(/\{([^}]+)\}/g, (_, key: string) => {
    const value = params[key];
    if (value === undefined || value === '') {
      throw new Error(`missing path parameter ${key} for ${template}`);
    }
    return encodeURIComponent(value);
  });
}

function queryString(query: TransportQuery = {}): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === '') continue;
    if (Array.isArray(value)) {
      // Kargo reads list parameters with gin's QueryArray: repeated keys, not commas.
      for (const item of value) search.append(key, item);
    } else {
      search.set(key, String(value));
    }
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** Connection errors that mean the request never reached Kargo. */
const NOT_SENT = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

export const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>(resolve => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });

export interface TransportOptions {
  logger: LoggerService;
  readAttempts: number;
  retryDelayMs: number;
  /** Why the server was refused (see KargoClient.serverInfo): every request fails with it. */
  refused(): Error | undefined;
}

/**
 * HTTP to one Kargo instance: its url, token and timeout, retries of idempotent reads, and
 * Kargo's answers turned into Backstage errors.
 */
export class KargoTransport {
  constructor(
    readonly instance: KargoInstanceConfig,
    readonly options: TransportOptions,
  ) {}

  url(path: string, query?: TransportQuery): string {
    return `${this.instance.url}${path}${queryString(query)}`;
  }

  headers(extra: Record<string, string> = {}): Record<string, string> {
    return {
      ...(this.instance.token
        ? { authorization: `Bearer ${this.instance.token}` }
        : {}),
      ...extra,
    };
  }

  async request<T>(
    method: string,
    path: string,
    options: RequestOptions,
  ): Promise<T> {
    const refused = this.options.refused();
    if (refused) throw refused;
    const { readAttempts, retryDelayMs, logger } = this.options;
    const attempts = options.retry ? readAttempts : 1;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.once<T>(method, path, options);
      } catch (error) {
        if (attempt >= attempts || !isTransient(error)) throw error;
        const delay = retryDelayMs * 2 ** (attempt - 1);
        logger.debug(
          `Kargo ${method} ${path} failed (${
            (error as Error).message
          }); retry ${attempt} in ${delay} ms`,
        );
        await sleep(delay + Math.random() * delay * 0.2);
      }
    }
  }

  private async once<T>(
    method: string,
    path: string,
    options: RequestOptions,
  ): Promise<T> {
    const { name, timeoutMs } = this.instance;
    // A change that was sent but not answered may have happened: say so, not "failed".
    const Lost =
      method === 'GET' ? ServiceUnavailableError : KargoOutcomeUnknownError;
    let response: Response;
    try {
      response = await fetch(this.url(path, options.query), {
        method,
        headers: this.headers({
          accept: 'application/json',
          ...(options.body !== undefined
            ? { 'content-type': 'application/json' }
            : {}),
          ...(options.text !== undefined
            ? { 'content-type': 'application/yaml' }
            : {}),
        }),
        body:
          options.text ??
          (options.body !== undefined
            ? JSON.stringify(options.body)
            : undefined),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const err = error as Error;
      // The only abort here is the timeout; some runtimes report it as AbortError.
      if (err.name === 'TimeoutError' || err.name === 'AbortError') {
        throw new Lost(
          `Kargo instance "${name}" did not answer within ${timeoutMs} ms`,
          err,
        );
      }
      // Refused or unresolvable: nothing reached Kargo. Anything else (a connection dropped
      // mid-request) may have been carried out.
      const code = (err.cause as { code?: string })?.code ?? '';
      const cause = (err.cause as Error)?.message ?? err.message;
      if (method === 'GET' || NOT_SENT.has(code)) {
        throw new ServiceUnavailableError(
          `Kargo instance "${name}" is unreachable (${cause})`,
          err,
        );
      }
      throw new Lost(
        `Kargo instance "${name}" dropped the connection to ${method} ${path} (${cause})`,
        err,
      );
    }
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      throw new Lost(
        `Kargo instance "${name}" broke off its answer to ${method} ${path}`,
        error as Error,
      );
    }
    if (
      method !== 'GET' &&
      (response.status === 502 || response.status === 504)
    ) {
      // A gateway gave up on Kargo: the change may still have been made behind it.
      throw new Lost(
        `Kargo instance "${name}" is behind a gateway that gave up on ${method} ${path} (HTTP ${response.status})`,
      );
    }
    if (!response.ok) {
      throw kargoResponseError(name, response.status, text);
    }
    if (/^text\/html/i.test(response.headers.get('content-type') ?? '')) {
      // Kargo before v1.9 has no REST API; its UI answers any path with index.html.
      throw new NotImplementedError(
        `Kargo instance "${name}" answered ${method} ${path} with an HTML page, not Kargo's REST API (is the url the API server's? Kargo before v1.9 has no REST API)`,
      );
    }
    // Not text.trim(): that copies a body of megabytes to find its first character.
    if (/^\s*$/.test(text)) {
      if (options.expectBody) {
        throw new ServiceUnavailableError(
          `Kargo instance "${name}" answered ${method} ${path} with HTTP ${response.status} and no body: a failure Kargo before v1.11.1 does not report (see the Kargo API server's log)`,
        );
      }
      return undefined as T;
    }
    try {
      // A big project's freight is 12 MB: parsed in slices, the event loop turning between.
      return await parseInSlices<T>(text, breaks());
    } catch (error) {
      throw new Lost(
        `Kargo instance "${name}" returned malformed JSON for ${method} ${path}`,
        error as Error,
      );
    }
  }
}
