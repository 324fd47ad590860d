import type { Entity } from '@backstage/catalog-model';
import type {
  ClusterAttributes,
  ObjectsByEntityResponse,
  PodFetchResponse,
} from '@backstage/plugin-kubernetes-common';
import {
  FreightView,
  matchesLabelSelector,
  StageView,
} from '@kargo-backstage/plugin-kargo-common';

export type Pod = PodFetchResponse['resources'][number];

/**
 * Where each stage's workloads run, when Argo CD's labels do not say:
 * `test=guestbook-test; prod=guestbook-prod/app=guestbook,tier=web`
 * (stage=namespace, optionally /label selector).
 */
export const STAGE_WORKLOADS_ANNOTATION = 'kargo.akuity.io/stage-workloads';

export interface StageWorkloadMapping {
  namespace: string;
  selector?: string;
}

/** The annotation's stage → namespace (and label selector) entries. */
export function parseStageWorkloads(
  entity?: Entity,
): Map<string, StageWorkloadMapping> {
  const value = entity?.metadata.annotations?.[STAGE_WORKLOADS_ANNOTATION];
  const mapping = new Map<string, StageWorkloadMapping>();
  for (const entry of value?.split(';') ?? []) {
    const [stage, target] = entry.split(/=(.*)/s).map(s => s?.trim());
    if (!stage || !target) continue;
    const slash = target.indexOf('/');
    mapping.set(
      stage,
      slash < 0
        ? { namespace: target }
        : {
            namespace: target.slice(0, slash),
            selector: target.slice(slash + 1).trim() || undefined,
          },
    );
  }
  return mapping;
}

/** Argo CD marks what an Application deploys: a label (label tracking) or an annotation. */
function deployedBy(pod: Pod, app: string): boolean {
  return (
    pod.metadata?.labels?.['app.kubernetes.io/instance'] === app ||
    Boolean(
      pod.metadata?.annotations?.['argocd.argoproj.io/tracking-id']?.startsWith(
        `${app}:`,
      ),
    )
  );
}

export interface StagePods {
  cluster: ClusterAttributes;
  pods: Pod[];
}

/**
 * The entity's pods (as Backstage's Kubernetes plugin found them) that belong to a stage: by
 * the annotation's namespace and selector, else by the Argo CD applications Kargo reports.
 * Undefined when nothing ties the stage to workloads.
 */
export function podsOfStage(
  objects: ObjectsByEntityResponse,
  stage: StageView,
  mapping: Map<string, StageWorkloadMapping>,
): StagePods[] | undefined {
  const mapped = mapping.get(stage.name);
  const apps = (stage.argocdApps ?? []).map(a => a.name);
  if (!mapped && !apps.length) return undefined;
  const belongs = (pod: Pod) =>
    mapped
      ? pod.metadata?.namespace === mapped.namespace &&
        (!mapped.selector ||
          matchesLabelSelector(pod.metadata?.labels, mapped.selector))
      : apps.some(app => deployedBy(pod, app));
  return objects.items
    .map(item => ({
      cluster: item.cluster,
      pods: item.resources
        .filter((r): r is PodFetchResponse => r.type === 'pods')
        .flatMap(r => r.resources)
        .filter(belongs),
    }))
    .filter(c => c.pods.length > 0);
}

function parseImage(image: string): { repo: string; tag?: string } {
  const at = image.indexOf('@');
  if (at >= 0) return { repo: image.slice(0, at), tag: image.slice(at + 1) };
  const colon = image.lastIndexOf(':');
  // A colon before the last slash belongs to a registry port.
  return colon > image.lastIndexOf('/')
    ? { repo: image.slice(0, colon), tag: image.slice(colon + 1) }
    : { repo: image, tag: 'latest' };
}

export interface ImageMismatch {
  repoURL: string;
  expected: string;
  running: string[];
}

/** Images of the stage's freight that its running pods do not run (by tag or digest). */
export function imageMismatches(
  freight: FreightView[],
  pods: Pod[],
): ImageMismatch[] {
  const running = pods
    .filter(p => p.status?.phase === 'Running')
    .flatMap(p => p.spec?.containers ?? [])
    .map(c => parseImage(c.image ?? ''));
  return freight
    .flatMap(f => f.images)
    .flatMap(image => {
      if (!image.repoURL) return [];
      const expected = image.tag ?? image.digest ?? '';
      const tags = [
        ...new Set(
          running.filter(r => r.repo === image.repoURL).map(r => r.tag ?? ''),
        ),
      ];
      const differ = tags.filter(t => t !== image.tag && t !== image.digest);
      return differ.length
        ? [{ repoURL: image.repoURL!, expected, running: differ }]
        : [];
    });
}
