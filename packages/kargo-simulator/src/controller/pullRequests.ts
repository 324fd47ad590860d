import { createHash } from 'node:crypto';
import type { KargoSimulator } from '../KargoSimulator';
import { HttpError } from '../http/HttpError';
import type { PullRequest } from './promotionSteps';

/*
 * The simulated git host's pull requests: git-open-pr opens one, git-wait-for-pr waits until it is
 * merged (POST /simulator/pull-requests/{id}/merge).
 */

export function openPullRequest(
  sim: KargoSimulator,
  repoURL: string,
): PullRequest {
  const id = sim.pullRequests.size + 1;
  const base = repoURL.replace(/\.git$/, '');
  const pr: PullRequest = {
    id,
    url: `${base}/pull/${id}`,
    repoURL,
    open: true,
    merged: false,
  };
  sim.pullRequests.set(id, pr);
  return pr;
}

export function mergePullRequest(sim: KargoSimulator, id: number): PullRequest {
  const pr = sim.pullRequests.get(id);
  if (!pr) throw new HttpError(404, `pull request ${id} not found`);
  pr.open = false;
  pr.merged = true;
  pr.mergeCommit = createHash('sha1').update(`${pr.url}|merged`).digest('hex');
  return pr;
}
