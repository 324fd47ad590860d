import express from 'express';
import { KargoSimulator } from '../KargoSimulator';
import {
  generateLargeProject,
  isLargeProjectFixture,
  LARGE_PROJECT_FIXTURES,
} from '../fixtures/largeProject';
import { Faults } from './faults';
import { HttpError } from './HttpError';

/** The simulator's own controls under /simulator: not part of Kargo's API. */
export function adminRoutes(
  sim: KargoSimulator,
  faults: Faults,
  requestLog: string[],
): express.Router {
  const admin = express.Router();
  admin.use(express.json());
  admin.get('/faults', (_req, res) => {
    res.json(faults);
  });
  admin.put('/faults', (req, res) => {
    for (const key of Object.keys(faults) as (keyof Faults)[]) {
      if (typeof req.body?.[key] === 'number') faults[key] = req.body[key];
    }
    res.json(faults);
  });
  // What clients asked of Kargo's API, to count upstream calls from another process.
  admin.get('/requests', (_req, res) => {
    res.json({ items: requestLog });
  });
  admin.delete('/requests', (_req, res) => {
    requestLog.length = 0;
    res.status(204).end();
  });
  admin.get('/pull-requests', (_req, res) => {
    res.json({ items: [...sim.pullRequests.values()] });
  });
  // "Merges" a pull request a promotion waits for (git-wait-for-pr).
  admin.post('/pull-requests/:id/merge', (req, res) => {
    const pr = sim.mergePullRequest(Number(req.params.id));
    sim.tick();
    res.json(pr);
  });
  // Publishes an artifact upstream for warehouses to discover.
  admin.post('/artifacts', (req, res) => {
    const { image, tag, git, message, author, chart, version } = req.body ?? {};
    if (image && tag) {
      res.status(201).json(sim.registry.publishImage(image, tag));
    } else if (git) {
      res
        .status(201)
        .json(sim.registry.publishCommit(git, { message, author }));
    } else if (chart && version) {
      res.status(201).json(sim.registry.publishChart(chart, version));
    } else {
      throw new HttpError(400, 'give image and tag, git, or chart and version');
    }
  });
  // Makes the pods of an Argo CD application crash-loop, or recover: {"crashing": true}.
  admin.put('/workloads/:app', (req, res) => {
    sim.workloads.setCrashing(req.params.app, req.body?.crashing === true);
    res.json({ app: req.params.app, crashing: req.body?.crashing === true });
  });
  admin.post('/tick', (_req, res) => {
    sim.tick();
    res.json({ resourceVersion: sim.store.currentResourceVersion() });
  });
  // A benchmark fixture (large or huge) on request; the body may change its
  // {"name","stages","warehouses","freight"}.
  admin.post('/fixtures/:fixture', (req, res) => {
    const fixture = req.params.fixture;
    if (!isLargeProjectFixture(fixture)) {
      throw new HttpError(404, `unknown fixture "${fixture}" (large or huge)`);
    }
    const options = {
      name: fixture,
      ...LARGE_PROJECT_FIXTURES[fixture],
      ...req.body,
    };
    res.status(201).json({ project: generateLargeProject(sim, options) });
  });
  return admin;
}
