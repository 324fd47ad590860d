import express, { NextFunction, Request, Response } from 'express';
import { KargoSimulator } from '../KargoSimulator';
import { adminRoutes } from './adminRoutes';
import { authenticate, checkTokens, SimulatorToken } from './auth';
import { kubernetesRoutes } from './kubernetesRoutes';
import { Faults } from './faults';
import { HttpError } from './HttpError';
import { kargoRoutes } from './kargoRoutes';
import { behaviourOf } from './versions';

export interface AppOptions {
  simulator: KargoSimulator;
  tokens: SimulatorToken[];
  faults: Faults;
  keepaliveMs: number;
  /** The Kargo release answered at /system/server-version; older ones answer as it did (versions.ts). */
  version: string;
  /** Every /v1beta1 request as "METHOD /path?query", for tests that count Kargo calls. */
  requestLog: string[];
}

/** Injected faults: latency, failed requests, and JSON bodies cut in half. */
function injectFaults(faults: Faults) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' && faults.loseNextAnswers > 0) {
      faults.loseNextAnswers -= 1;
      // The work is done; the answer never arrives.
      const drop = () => {
        req.socket.destroy();
        return res;
      };
      res.json = drop;
      res.send = drop;
      res.end = drop as Response['end'];
    }
    const json = res.json.bind(res);
    res.json = (body: unknown) => {
      if (faults.malformedRate > 0 && Math.random() < faults.malformedRate) {
        const text = JSON.stringify(body);
        return res
          .type('application/json')
          .send(text.slice(0, Math.max(1, Math.floor(text.length / 2))));
      }
      return json(body);
    };
    setTimeout(() => {
      if (faults.failNextRequests > 0) {
        faults.failNextRequests -= 1;
        next(
          new HttpError(
            503,
            'the server is currently unable to handle the request',
          ),
        );
      } else if (faults.errorRate > 0 && Math.random() < faults.errorRate) {
        next(new HttpError(500, 'internal server error'));
      } else {
        next();
      }
    }, faults.latencyMs);
  };
}

/** The simulator's HTTP server: Kargo's /healthz and /v1beta1, plus its own /simulator controls. */
export function createApp(options: AppOptions): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('json spaces', 0);

  app.get('/healthz', (_req, res) => {
    res.type('text/plain').send('ok');
  });
  app.use(
    '/simulator',
    adminRoutes(options.simulator, options.faults, options.requestLog),
  );
  // Kubernetes' read API for the demo's workloads (Backstage's Kubernetes plugin).
  app.use(
    '/kubernetes',
    kubernetesRoutes(options.simulator.workloads, options.tokens),
  );

  const served = behaviourOf(options.version);
  if (!served.restApi) {
    // Kargo before v1.9: no REST API; the UI's handler answers any path with index.html.
    app.use('/v1beta1', (_req, res) => {
      res
        .status(200)
        .type('text/html')
        .send(
          '<!doctype html><html><head><title>Kargo</title></head><body><div id="root"></div></body></html>',
        );
    });
  }

  const v1beta1 = express.Router();
  v1beta1.use((req, _res, next) => {
    options.requestLog.push(`${req.method} ${req.originalUrl}`);
    next();
  });
  v1beta1.use(injectFaults(options.faults));
  const { simulator: sim } = options;
  checkTokens(options.tokens);
  v1beta1.use(
    authenticate(
      value =>
        options.tokens.find(t => t.token === value) ??
        sim.apiTokens.lookup(value),
      {
        // A project role's rules as Kargo reports them (GET .../roles/{role}).
        projectRoleRules: (project, role) => {
          const found = sim.store.get('Project', '', project);
          if (!found) return [];
          sim.roles.ensureDefaults(
            project,
            found.metadata?.creationTimestamp ?? '',
          );
          return (
            sim.roles.list(project).find(r => r.metadata.name === role)
              ?.rules ?? []
          );
        },
      },
    ),
  );
  v1beta1.use(kargoRoutes(options));
  // Kargo registers no NoRoute handler: an authenticated unknown route gets Gin's plain 404.
  v1beta1.use((_req, res) => {
    res.status(404).type('text/plain').send('404 page not found');
  });
  app.use('/v1beta1', v1beta1);

  app.use((error: Error, _req: Request, res: Response, _next: NextFunction) => {
    if (res.headersSent) {
      res.end();
      return;
    }
    const status = error instanceof HttpError ? error.status : 500;
    if (!served.jsonErrors) {
      // Kargo before v1.11.1 (rest_router.go handleError, auth_middleware.go at v1.10.10).
      if (status === 401) {
        res.status(401).end(); // AbortWithStatus, no body
      } else if (!(error instanceof HttpError)) {
        res.status(200).end(); // an error of no known type: nothing written, gin's 200
      } else if (status === 500) {
        // Its 500 branch writes a body and then, lacking a return, a second one.
        res
          .status(500)
          .type('application/json')
          .send(
            `{"error":"internal server error"}${JSON.stringify({
              error: error.message,
            })}`,
          );
      } else {
        res.status(status).json({ error: error.message });
      }
      return;
    }
    // Like Kargo's handleError: anything it did not type becomes a bare 500.
    const message =
      error instanceof HttpError && status !== 500
        ? error.message
        : 'internal server error';
    res.status(status).json({ error: message });
  });
  return app;
}
