import { createHash } from 'node:crypto';
import type { PromotionStep } from '@kargo-backstage/plugin-kargo-common';

/** A pull request the simulated git host holds open until someone merges it. */
export interface PullRequest {
  id: number;
  url: string;
  repoURL: string;
  open: boolean;
  merged: boolean;
  mergeCommit?: string;
}

export interface StepContext {
  project: string;
  stage: string;
  promotion: string;
  freight: string;
  state: Record<string, unknown>;
  openPullRequest(repoURL: string): PullRequest;
  pullRequest(id: number): PullRequest | undefined;
}

/** 'done' with the step's output, or 'waiting' to be tried again on the next tick. */
export type StepResult =
  | { status: 'done'; output?: Record<string, unknown> }
  | { status: 'waiting'; message: string };

const commitId = (...parts: string[]) =>
  createHash('sha1').update(parts.join('|')).digest('hex');

const config = (step: PromotionStep) =>
  (step.config ?? {}) as Record<string, unknown>;

/**
 * What each promotion step leaves in Promotion.status.state, shaped like Kargo's built-in
 * steps' outputs (git-commit → commit, git-push → branch/commit, git-open-pr → pr,
 * git-wait-for-pr → commit/pr). Nothing is really cloned or pushed.
 */
export function runStep(step: PromotionStep, ctx: StepContext): StepResult {
  const cfg = config(step);
  switch (step.uses) {
    case 'kustomize-set-image':
    case 'yaml-update':
    case 'helm-update-image':
      return {
        status: 'done',
        output: {
          commitMessage: `Updated ${ctx.stage} to Freight ${ctx.freight.slice(
            0,
            7,
          )}`,
        },
      };
    case 'git-commit':
      return {
        status: 'done',
        output: { commit: commitId(ctx.project, ctx.stage, ctx.promotion) },
      };
    case 'git-push': {
      const commit = commitId(ctx.project, ctx.stage, ctx.promotion);
      const branch = cfg.generateTargetBranch
        ? `kargo/promotion/${ctx.promotion}`
        : `stage/${ctx.stage}`;
      return { status: 'done', output: { branch, commit } };
    }
    case 'git-open-pr': {
      const pr = ctx.openPullRequest(String(cfg.repoURL ?? ''));
      return { status: 'done', output: { pr: { id: pr.id, url: pr.url } } };
    }
    case 'git-wait-for-pr': {
      const opened = Object.values(ctx.state)
        .map(output => (output as { pr?: { id?: number } })?.pr?.id)
        .find(id => typeof id === 'number');
      const pr = opened === undefined ? undefined : ctx.pullRequest(opened);
      if (!pr) {
        return { status: 'waiting', message: 'no pull request to wait for' };
      }
      if (!pr.merged) {
        return {
          status: 'waiting',
          message: `waiting for pull request ${pr.url} to be merged`,
        };
      }
      return {
        status: 'done',
        output: {
          commit: pr.mergeCommit,
          pr: { id: pr.id, url: pr.url, open: false, merged: true },
        },
      };
    }
    case 'http': {
      // Kargo's http step polls (Running) while its success criteria are unmet and no failure
      // criteria are met (http_requester.go). No request is sent here, and of its expressions
      // only the literals true and false are understood: any other counts as met.
      const met = (e: unknown) =>
        typeof e === 'string' && e.trim() ? e.trim() !== 'false' : undefined;
      if (met(cfg.successExpression) === false && !met(cfg.failureExpression)) {
        return {
          status: 'waiting',
          message: 'HTTP response did not meet the success criteria',
        };
      }
      return { status: 'done', output: {} };
    }
    default:
      return { status: 'done', output: {} };
  }
}
