import type { Stage } from '@kargo-backstage/plugin-kargo-common';
import { createHash } from 'node:crypto';
import type { KargoSimulator } from '../KargoSimulator';

/** How long a new freight takes to roll out to the pods of a stage. */
export const ROLLOUT_MS = 5000;
const REPLICAS = 2;

type Labels = Record<string, string>;
/** The part of Kubernetes' objects that the simulator serves. */
export interface KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace: string;
    uid: string;
    labels: Labels;
    creationTimestamp: string;
    ownerReferences?: Array<{ kind: string; name: string; uid: string }>;
  };
  spec: Record<string, unknown>;
  status: Record<string, unknown>;
}

/** The Argo CD Applications a stage's argocd-update steps name, as Kargo renders them. */
export function argocdApps(stage: Stage): string[] {
  return argocdAppsByStep(stage).flat();
}

/** The Argo CD Applications of each argocd-update step: each step is one health check. */
export function argocdAppsByStep(stage: Stage): string[][] {
  const render = (name: string) =>
    name
      .replace(/\$\{\{\s*ctx\.stage\s*\}\}/g, stage.metadata!.name!)
      .replace(/\$\{\{\s*ctx\.project\s*\}\}/g, stage.metadata!.namespace!);
  return (stage.spec.promotionTemplate?.spec?.steps ?? [])
    .filter(s => s.uses === 'argocd-update')
    .map(s =>
      ((s.config as { apps?: Array<{ name?: string }> })?.apps ?? []).flatMap(
        a => (a.name ? [render(a.name)] : []),
      ),
    );
}

interface Rollout {
  /** Images the pods run, and those the stage's freight asks for. */
  running: string[];
  desired: string[];
  since: number;
}

function containerState(
  name: string,
  ready: boolean,
  crashing: boolean,
  startedAt: string,
) {
  if (!ready) return { waiting: { reason: 'ContainerCreating' } };
  if (crashing) {
    return {
      waiting: {
        reason: 'CrashLoopBackOff',
        message: `back-off restarting failed container ${name}`,
      },
    };
  }
  return { running: { startedAt } };
}

const hash = (text: string, length = 10) =>
  createHash('sha1').update(text).digest('hex').slice(0, length);

/**
 * What Argo CD would have deployed for each stage, for the Kubernetes plugin beside Kargo: per
 * Argo CD Application of a stage, a Deployment in the namespace of the same name running the
 * images of the stage's current freight. New freight rolls out in ROLLOUT_MS: meanwhile the
 * old pods run on and a new one is pending. Not Kubernetes.
 */
export class SimulatedWorkloads {
  private readonly rollouts = new Map<string, Rollout>();
  /** Applications whose pods crash-loop (demo of a failing stage). */
  readonly crashing = new Map<string, number>();

  constructor(private readonly sim: KargoSimulator) {}

  setCrashing(app: string, crashing: boolean) {
    if (crashing) this.crashing.set(app, this.sim.clock.now());
    else this.crashing.delete(app);
  }

  /** Deployments, ReplicaSets and Pods of every stage that has Argo CD applications. */
  objects(): KubernetesObject[] {
    return this.sim.store
      .list<Stage>('Stage')
      .flatMap(stage =>
        argocdApps(stage).flatMap(app => this.objectsOf(stage, app)),
      );
  }

  private rollout(stage: Stage, app: string): Rollout | undefined {
    const current = stage.status?.freightHistory?.[0]?.items ?? {};
    const desired = Object.values(current)
      .flatMap(f => f.images ?? [])
      .map(i => `${i.repoURL}:${i.tag ?? i.digest}`)
      .sort();
    if (!desired.length) return undefined;
    const key = `${stage.metadata!.namespace}/${app}`;
    const now = this.sim.clock.now();
    let rollout = this.rollouts.get(key);
    if (!rollout) {
      rollout = { running: desired, desired, since: now };
      this.rollouts.set(key, rollout);
    } else if (rollout.desired.join() !== desired.join()) {
      rollout.desired = desired;
      rollout.since = now;
    }
    if (now - rollout.since >= ROLLOUT_MS) rollout.running = rollout.desired;
    return rollout;
  }

  private objectsOf(stage: Stage, app: string): KubernetesObject[] {
    const rollout = this.rollout(stage, app);
    if (!rollout) return [];
    const project = stage.metadata!.namespace!;
    const created =
      stage.metadata!.creationTimestamp ?? this.sim.clock.isoNow();
    const labels: Labels = {
      'app.kubernetes.io/name': app,
      'app.kubernetes.io/instance': app,
      'app.kubernetes.io/part-of': project,
    };
    const meta = (kind: string, name: string, extra: Labels = {}) => ({
      name,
      namespace: app,
      uid: hash(`${kind}/${app}/${name}`, 32),
      labels: { ...labels, ...extra },
      creationTimestamp: created,
    });
    const containers = (images: string[]) =>
      images.map((image, i) => ({
        name: i === 0 ? app : `${app}-${i}`,
        image,
      }));
    const deployment: KubernetesObject = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta('Deployment', app),
      spec: {
        replicas: REPLICAS,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: { containers: containers(rollout.desired) },
        },
      },
      status: {
        replicas: REPLICAS,
        readyReplicas: REPLICAS,
        availableReplicas: REPLICAS,
        updatedReplicas: rollout.running === rollout.desired ? REPLICAS : 0,
      },
    };
    const replicaSet = (images: string[]) => {
      const template = hash(images.join());
      const rs: KubernetesObject = {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: {
          ...meta('ReplicaSet', `${app}-${template}`, {
            'pod-template-hash': template,
          }),
          ownerReferences: [
            { kind: 'Deployment', name: app, uid: deployment.metadata.uid },
          ],
        },
        spec: { replicas: REPLICAS },
        status: { replicas: REPLICAS, readyReplicas: REPLICAS },
      };
      return rs;
    };
    const pod = (
      rs: KubernetesObject,
      images: string[],
      n: number,
      ready: boolean,
    ) => {
      const crashSince = this.crashing.get(app);
      const crashing = ready && crashSince !== undefined;
      const restarts = crashing
        ? 1 + Math.floor((this.sim.clock.now() - crashSince) / 10_000)
        : 0;
      const p: KubernetesObject = {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          ...meta(
            'Pod',
            `${rs.metadata.name}-${hash(`${rs.metadata.name}/${n}`, 5)}`,
            {
              'pod-template-hash': rs.metadata.labels['pod-template-hash'],
            },
          ),
          ownerReferences: [
            {
              kind: 'ReplicaSet',
              name: rs.metadata.name,
              uid: rs.metadata.uid,
            },
          ],
        },
        spec: { containers: containers(images) },
        status: {
          phase: ready ? 'Running' : 'Pending',
          startTime: created,
          conditions: [
            { type: 'Ready', status: ready && !crashing ? 'True' : 'False' },
          ],
          containerStatuses: containers(images).map(c => ({
            name: c.name,
            image: c.image,
            ready: ready && !crashing,
            started: ready,
            restartCount: restarts,
            state: containerState(c.name, ready, crashing, created),
            ...(crashing
              ? {
                  lastState: {
                    terminated: { exitCode: 1, reason: 'Error' },
                  },
                }
              : {}),
          })),
        },
      };
      return p;
    };
    const current = replicaSet(rollout.running);
    const objects = [
      deployment,
      current,
      ...Array.from({ length: REPLICAS }, (_, n) =>
        pod(current, rollout.running, n, true),
      ),
    ];
    if (rollout.running !== rollout.desired) {
      const next = replicaSet(rollout.desired);
      objects.push(next, pod(next, rollout.desired, 0, false));
    }
    return objects;
  }
}
