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

/** The call of one method: a path template, its options, the operation's answer. */
type Call<M extends Method> = <P extends PathsFor<M>>(
  path: P,
  options: CallOptions<Operation<P, M>>,
) => Promise<Answer<Operation<P, M>>>;

export class KargoApi {
  constructor(readonly transport: KargoTransport) {}

  /** Reads are idempotent: retried, and an empty answer is an error. */
  readonly get: Call<'get'> = (path, options) =>
    this.call('GET', path, options, { retry: true, expectBody: true });
  readonly post: Call<'post'> = (path, options) =>
    this.call('POST', path, options);
  readonly put: Call<'put'> = (path, options) =>
    this.call('PUT', path, options);
  readonly patch: Call<'patch'> = (path, options) =>
    this.call('PATCH', path, options);
  readonly delete: Call<'delete'> = (path, options) =>
    this.call('DELETE', path, options);

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
