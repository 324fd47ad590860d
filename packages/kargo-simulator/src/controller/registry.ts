import { createHash } from 'node:crypto';
import { Clock } from '../clock';

/** What the outside world has published: the registries and repositories Kargo polls. */
export interface PublishedImage {
  tag: string;
  digest: string;
  createdAt: string;
}
export interface PublishedCommit {
  id: string;
  branch: string;
  message: string;
  author: string;
  committer: string;
  createdAt: string;
}
export interface PublishedChart {
  version: string;
  createdAt: string;
}

const sha = (algorithm: 'sha1' | 'sha256', text: string) =>
  createHash(algorithm).update(text).digest('hex');

/**
 * The simulated upstream: container registries, git repositories and chart repositories.
 * Digests and commit ids are derived from their content, so runs are reproducible.
 */
export class ArtifactRegistry {
  readonly images = new Map<string, PublishedImage[]>();
  readonly commits = new Map<string, PublishedCommit[]>();
  readonly charts = new Map<string, PublishedChart[]>();

  constructor(private readonly clock: Clock) {}

  publishImage(repoURL: string, tag: string): PublishedImage {
    const image = {
      tag,
      digest: `sha256:${sha('sha256', `${repoURL}:${tag}`)}`,
      createdAt: this.clock.isoNow(),
    };
    this.images.set(repoURL, [...(this.images.get(repoURL) ?? []), image]);
    return image;
  }

  publishCommit(
    repoURL: string,
    options: { branch?: string; message?: string; author?: string } = {},
  ): PublishedCommit {
    const history = this.commits.get(repoURL) ?? [];
    const branch = options.branch ?? 'main';
    const message =
      options.message ?? `Update ${branch} (#${history.length + 1})`;
    const author = options.author ?? 'Kargo Simulator <simulator@example.com>';
    const commit = {
      id: sha('sha1', `${repoURL}|${branch}|${history.length}|${message}`),
      branch,
      message,
      author,
      committer: author,
      createdAt: this.clock.isoNow(),
    };
    this.commits.set(repoURL, [...history, commit]);
    return commit;
  }

  publishChart(repoURL: string, version: string): PublishedChart {
    const chart = { version, createdAt: this.clock.isoNow() };
    this.charts.set(repoURL, [...(this.charts.get(repoURL) ?? []), chart]);
    return chart;
  }

  /** Publishes the next patch version of every image repository seen, as CI would. */
  publishNextImageVersions(repoURLs: string[]): void {
    for (const repoURL of repoURLs) {
      const tags = this.images.get(repoURL) ?? [];
      const last = tags[tags.length - 1]?.tag ?? '0.1.0';
      const match = /^(v?)(\d+)\.(\d+)\.(\d+)$/.exec(last);
      const next = match
        ? `${match[1]}${match[2]}.${match[3]}.${Number(match[4]) + 1}`
        : `${last}-1`;
      this.publishImage(repoURL, next);
    }
  }
}
