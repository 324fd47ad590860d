import type { KargoPaths } from '@kargo-backstage/plugin-kargo-common';
import { fill, KargoTransport, TransportQuery } from './kargoTransport';

/**
 * Calls typed from Kargo's OpenAPI document (plugins/kargo-common/src/generated): a path
 * template and method name the operation, whose path and query parameters, body and answer
 * follow from it. The transport underneath keeps the timeouts, retries and error classes.
 */

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** The path templates that have an operation for the method. */
export type PathsFor<M extends Method> = {
  [P in keyof KargoPaths]: KargoPaths[P][M] extends { parameters: unknown }
    ? P
    : never;
}[keyof KargoPaths];

type Operation<P extends keyof KargoPaths, M extends Method> = NonNullable<
  KargoPaths[P][M]
>;

/** `{ path: ... }` or `{ query: ... }` as the operation declares them; nothing if it has none. */
type ParamsOf<O, In extends 'path' | 'query'> = O extends {
  parameters: { [K in In]?: unknown };
}
  ? [NonNullable<O['parameters'][In]>] extends [never]
    ? {}
    : undefined extends O['parameters'][In]
    ? { [K in In]?: NonNullable<O['parameters'][In]> }
    : { [K in In]: O['parameters'][In] }
  : {};

type Content<O> = O extends { requestBody?: unknown }
  ? NonNullable<O['requestBody']> extends { content: infer C }
    ? C
    : never
  : never;

/** JSON bodies as `body`; the /resources routes' manifests (text/plain) as `text`. */
type Body<O> = [Content<O>] extends [never]
  ? {}
  : Content<O> extends { 'text/plain': string }
  ? { text: string }
  : Content<O> extends { 'application/json': infer B }
  ? { body: B }
  : {};

/** The document's `{}` (Record<string, never>) describes nothing: `unknown`. */
type Described<A> = [A] extends [Record<string, never>]
  ? [Record<string, never>] extends [A]
    ? unknown
    : A
  : A;

/**
 * What the operation's 2xx answer carries: `unknown` where the document declares no body or an
 * empty object, so a method that knows Kargo's actual answer says so explicitly.
 */
export type Answer<O> = O extends { responses: infer R }
  ? {
      [S in keyof R]: S extends 200 | 201 | 207
        ? R[S] extends { content: { 'application/json': infer A } }
          ? Described<A>
          : unknown
        : never;
    }[keyof R]
  : unknown;

export type CallOptions<O> = ParamsOf<O, 'path'> &
  ParamsOf<O, 'query'> &
  Body<O> & {
    /** Kargo answers with a body; none is an error (see RequestOptions.expectBody). */
    expectBody?: boolean;
  };

export class KargoApi {
  constructor(readonly transport: KargoTransport) {}

  /** Reads are idempotent: retried, and an empty answer is an error. */
  get<P extends PathsFor<'get'>>(
    path: P,
    options: CallOptions<Operation<P, 'get'>>,
  ): Promise<Answer<Operation<P, 'get'>>> {
    return this.call('GET', path, options, { retry: true, expectBody: true });
  }

  post<P extends PathsFor<'post'>>(
    path: P,
    options: CallOptions<Operation<P, 'post'>>,
  ): Promise<Answer<Operation<P, 'post'>>> {
    return this.call('POST', path, options);
  }

  put<P extends PathsFor<'put'>>(
    path: P,
    options: CallOptions<Operation<P, 'put'>>,
  ): Promise<Answer<Operation<P, 'put'>>> {
    return this.call('PUT', path, options);
  }

  patch<P extends PathsFor<'patch'>>(
    path: P,
    options: CallOptions<Operation<P, 'patch'>>,
  ): Promise<Answer<Operation<P, 'patch'>>> {
    return this.call('PATCH', path, options);
  }

  delete<P extends PathsFor<'delete'>>(
    path: P,
    options: CallOptions<Operation<P, 'delete'>>,
  ): Promise<Answer<Operation<P, 'delete'>>> {
    return this.call('DELETE', path, options);
  }

  private call<T>(
    method: string,
    path: keyof KargoPaths,
    options: {
      path?: Record<string, string>;
      query?: Record<string, unknown>;
      body?: unknown;
      text?: string;
      expectBody?: boolean;
    },
    reads: { retry?: boolean; expectBody?: boolean } = {},
  ): Promise<T> {
    return this.transport.request<T>(method, fill(path, options.path ?? {}), {
      query: options.query as TransportQuery,
      body: options.body,
      text: options.text,
      retry: reads.retry,
      expectBody: reads.expectBody ?? options.expectBody,
    });
  }
}
