import {
  KargoClient,
  KargoInstanceConfig,
} from '@kargo-backstage/plugin-kargo-node';
import type { Freight } from '@kargo-backstage/plugin-kargo-common';
import type { LoggerService } from '@backstage/backend-plugin-api';
import YAML from 'yaml';
import { ConformanceTarget } from './targets/types';

/** A raw answer of the target, for tests about Kargo's wire format and error shapes. */
export interface RawAnswer {
  status: number;
  contentType: string;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: any;
}

/** The repository the suite's Warehouse subscribes to; nothing is ever fetched from it. */
export const GIT_REPO = 'https://git.example.com/conformance/app.git';

const quietLogger: LoggerService = {
  error() {},
  warn() {},
  info() {},
  debug() {},
  child() {
    return quietLogger;
  },
};

/** What every suite gets: the target, clients speaking to it and helpers to set up projects. */
export class Conformance {
  constructor(readonly target: ConformanceTarget) {}

  get name() {
    return this.target.name;
  }

  /** The plugin's own Kargo client, acting with `token` (admin by default). */
  client(token = this.target.adminToken): KargoClient {
    const instance: KargoInstanceConfig = {
      name: 'conformance',
      url: this.target.url,
      token,
      timeoutMs: 10_000,
    };
    return new KargoClient(instance, {
      logger: quietLogger,
      retryDelayMs: 50,
    });
  }

  /** One request as Kargo answers it, nothing interpreted. */
  async api(
    method: string,
    path: string,
    options: {
      body?: unknown;
      token?: string;
      contentType?: string;
      signal?: AbortSignal;
    } = {},
  ): Promise<RawAnswer> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${options.token ?? this.target.adminToken}`,
    };
    let body: string | undefined;
    if (options.body !== undefined) {
      body =
        typeof options.body === 'string'
          ? options.body
          : JSON.stringify(options.body);
      headers['content-type'] = options.contentType ?? 'application/json';
    }
    const response = await fetch(`${this.target.url}${path}`, {
      method,
      headers,
      body,
      signal: options.signal ?? AbortSignal.timeout(15_000),
    });
    const text = await response.text();
    let json: any;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return {
      status: response.status,
      contentType: response.headers.get('content-type') ?? '',
      text,
      json,
    };
  }

  /** Applies manifests through Kargo's own `POST /v1beta1/resources`; throws on any refusal. */
  async apply(manifests: object[] | string): Promise<any[]> {
    const body =
      typeof manifests === 'string'
        ? manifests
        : manifests.map(m => YAML.stringify(m)).join('---\n');
    const answer = await this.api('POST', '/v1beta1/resources', {
      body,
      contentType: 'application/yaml',
    });
    if (answer.status >= 300) {
      throw new Error(`apply answered ${answer.status}: ${answer.text}`);
    }
    const results: any[] = answer.json?.results ?? [];
    const failed = results.filter(r => r.error);
    if (failed.length) {
      throw new Error(`apply refused: ${failed.map(r => r.error).join('; ')}`);
    }
    return results.map(
      r => r.createdResourceManifest ?? r.updatedResourceManifest,
    );
  }

  /** Creates a Project and waits until Kargo's management controller made it ready. */
  async createProject(metadata: {
    name: string;
    annotations?: Record<string, string>;
  }): Promise<void> {
    await this.apply([
      { apiVersion: 'kargo.akuity.io/v1alpha1', kind: 'Project', metadata },
    ]);
    await this.eventually(`project ${metadata.name} ready`, async () => {
      const answer = await this.api(
        'GET',
        `/v1beta1/projects/${metadata.name}`,
      );
      const ready = answer.json?.status?.conditions?.find(
        (c: any) => c.type === 'Ready',
      );
      return ready?.status === 'True' ? true : undefined;
    });
  }

  /**
   * A fresh project with Kargo's usual pipeline: Warehouse `wh` (one git subscription), Stages
   * test ← wh, uat ← test, prod ← uat. Promotions run `compose-output`, which needs no outside
   * service. Waits until Kargo's management controller made the project ready.
   */
  async newProject(
    prefix: string,
    options: { stages?: object[] } = {},
  ): Promise<string> {
    const project = `${prefix}-${Date.now().toString(36)}${Math.floor(
      Math.random() * 1e4,
    ).toString(36)}`.slice(0, 40);
    await this.createProject({ name: project });
    await this.apply(
      options.stages
        ? [warehouse(project, 'wh'), ...options.stages]
        : pipeline(project),
    );
    return project;
  }

  /** Freight from Warehouse `wh` with one commit, created as a user would in Kargo's UI. */
  async createFreight(project: string, commit = randomSha()): Promise<Freight> {
    const [created] = await this.apply([
      {
        apiVersion: 'kargo.akuity.io/v1alpha1',
        kind: 'Freight',
        metadata: {
          name: 'ignored-kargo-names-freight-by-content',
          namespace: project,
        },
        origin: { kind: 'Warehouse', name: 'wh' },
        commits: [{ repoURL: GIT_REPO, id: commit }],
      },
    ]);
    return created as Freight;
  }

  /** Polls until `check` returns something other than undefined (Kargo is eventually consistent). */
  async eventually<T>(
    what: string,
    check: () => Promise<T | undefined>,
    timeoutMs = 60_000,
  ): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let last: unknown;
    for (;;) {
      try {
        const value = await check();
        if (value !== undefined) return value;
      } catch (error) {
        last = error;
      }
      if (Date.now() > deadline) {
        throw new Error(
          `timed out waiting for ${what} on ${this.name}${
            last ? `: ${(last as Error).message}` : ''
          }`,
        );
      }
      await this.target.advance(200);
    }
  }
}

export function randomSha(): string {
  return Array.from({ length: 40 }, () =>
    Math.floor(Math.random() * 16).toString(16),
  ).join('');
}

/** Kargo's usual pipeline: Warehouse `wh`, Stages test ← wh, uat ← test, prod ← uat. */
export function pipeline(project: string) {
  return [
    warehouse(project, 'wh'),
    stage(project, 'test', { warehouse: 'wh' }),
    stage(project, 'uat', { upstream: 'test' }),
    stage(project, 'prod', { upstream: 'uat' }),
  ];
}

export function warehouse(project: string, name: string, spec: object = {}) {
  return {
    apiVersion: 'kargo.akuity.io/v1alpha1',
    kind: 'Warehouse',
    metadata: { name, namespace: project },
    spec: {
      // Manual: the suite creates Freight itself, so discovery never needs the network.
      freightCreationPolicy: 'Manual',
      interval: '24h',
      subscriptions: [{ git: { repoURL: GIT_REPO, branch: 'main' } }],
      ...spec,
    },
  };
}

export function stage(
  project: string,
  name: string,
  from: { warehouse?: string; upstream?: string },
  spec: object = {},
) {
  return {
    apiVersion: 'kargo.akuity.io/v1alpha1',
    kind: 'Stage',
    metadata: { name, namespace: project },
    spec: {
      requestedFreight: [
        {
          origin: { kind: 'Warehouse', name: 'wh' },
          sources: from.warehouse
            ? { direct: true }
            : { stages: [from.upstream] },
        },
      ],
      promotionTemplate: {
        spec: {
          steps: [
            {
              uses: 'compose-output',
              as: 'out',
              config: { stage: name },
            },
          ],
        },
      },
      ...spec,
    },
  };
}
