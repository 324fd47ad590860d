import { matchesLabelSelector } from '@kargo-backstage/plugin-kargo-common';
import express, { Request, Response } from 'express';
import type { SimulatedWorkloads } from '../controller/workloads';
import type { SimulatorToken } from './auth';

/** Kubernetes' error body (metav1.Status). */
function status(res: Response, code: number, reason: string, message: string) {
  res.status(code).json({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    code,
  });
}

/**
 * A little of Kubernetes' read API, under /kubernetes, for Backstage's Kubernetes plugin in the
 * demo: Deployments, ReplicaSets and Pods of the simulated stages (see SimulatedWorkloads),
 * filtered by namespace and label selector; every other list the plugin asks for is empty.
 * Not Kubernetes.
 */
export function kubernetesRoutes(
  workloads: SimulatedWorkloads,
  tokens: SimulatorToken[],
): express.Router {
  const k8s = express.Router();
  k8s.use((req, res, next) => {
    const header = req.header('authorization') ?? '';
    if (!tokens.some(t => header === `Bearer ${t.token}`)) {
      status(res, 401, 'Unauthorized', 'Unauthorized');
      return;
    }
    next();
  });

  const list =
    (apiVersion: string, kind: string) => (req: Request, res: Response) => {
      const selector =
        typeof req.query.labelSelector === 'string'
          ? req.query.labelSelector
          : '';
      const items = workloads
        .objects()
        .filter(
          o =>
            o.kind === kind &&
            (!req.params.namespace ||
              o.metadata.namespace === req.params.namespace) &&
            matchesLabelSelector(o.metadata.labels, selector),
        );
      res.json({
        apiVersion,
        kind: `${kind}List`,
        metadata: { resourceVersion: '1' },
        items,
      });
    };
  k8s.get(
    ['/api/v1/pods', '/api/v1/namespaces/:namespace/pods'],
    list('v1', 'Pod'),
  );
  for (const [plural, kind] of [
    ['deployments', 'Deployment'],
    ['replicasets', 'ReplicaSet'],
  ]) {
    k8s.get(
      [
        `/apis/apps/v1/${plural}`,
        `/apis/apps/v1/namespaces/:namespace/${plural}`,
      ],
      list('apps/v1', kind),
    );
  }
  // Services, config maps, jobs, ingresses…: none in the simulated namespaces.
  k8s.get(
    [
      '/api/:version/:plural',
      '/api/:version/namespaces/:namespace/:plural',
      '/apis/:group/:version/:plural',
      '/apis/:group/:version/namespaces/:namespace/:plural',
    ],
    (req, res) => {
      res.json({
        apiVersion: req.params.group
          ? `${req.params.group}/${req.params.version}`
          : req.params.version,
        kind: 'List',
        metadata: { resourceVersion: '1' },
        items: [],
      });
    },
  );
  k8s.use((_req, res) =>
    status(
      res,
      404,
      'NotFound',
      'the server could not find the requested resource',
    ),
  );
  return k8s;
}
