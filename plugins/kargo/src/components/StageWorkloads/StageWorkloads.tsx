import type { Entity } from '@backstage/catalog-model';
import { useApiHolder } from '@backstage/core-plugin-api';
import {
  ClusterContext,
  kubernetesApiRef,
  PodsTable,
  READY_COLUMNS,
  useKubernetesObjects,
} from '@backstage/plugin-kubernetes-react';
import type {
  KargoProjectView,
  StageView,
} from '@kargo-backstage/plugin-kargo-common';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import {
  imageMismatches,
  parseStageWorkloads,
  podsOfStage,
  STAGE_WORKLOADS_ANNOTATION,
} from './stageWorkloads';

/** How often the Kubernetes plugin is asked again while the drawer is open. */
const REFRESH_MS = 5000;

export interface StageWorkloadsProps {
  entity?: Entity;
  view: KargoProjectView;
  stage: StageView;
}

/**
 * What a stage deployed, through Backstage's Kubernetes plugin: its pods with status, restarts
 * and errors, and whether they run the freight Kargo says the stage runs. Absent when the
 * Kubernetes plugin is not installed.
 */
export function StageWorkloads(props: StageWorkloadsProps) {
  const installed = useApiHolder().get(kubernetesApiRef);
  if (!installed || !props.entity) return null;
  return <Workloads {...props} entity={props.entity} />;
}

function Workloads(props: StageWorkloadsProps & { entity: Entity }) {
  const { entity, view, stage } = props;
  const { kubernetesObjects, error } = useKubernetesObjects(entity, REFRESH_MS);

  const body = () => {
    if (error) {
      return (
        <Alert severity="error">
          Kubernetes did not answer for {entity.metadata.name}: {error}
        </Alert>
      );
    }
    if (!kubernetesObjects) {
      return <Typography color="textSecondary">Loading workloads…</Typography>;
    }
    const clusters = podsOfStage(
      kubernetesObjects,
      stage,
      parseStageWorkloads(entity),
    );
    if (!clusters) {
      return (
        <Typography color="textSecondary">
          Kargo reports no Argo CD application for this stage. Map it to its
          namespace with the {STAGE_WORKLOADS_ANNOTATION} annotation.
        </Typography>
      );
    }
    if (!clusters.length) {
      return (
        <Typography color="textSecondary">
          No pods of {entity.metadata.name} run in this stage.
        </Typography>
      );
    }
    const freight = Object.values(stage.currentFreight).flatMap(name =>
      view.freight.filter(f => f.name === name),
    );
    const mismatches = imageMismatches(
      freight,
      clusters.flatMap(c => c.pods),
    );
    return (
      <>
        {mismatches.map(m => (
          <Alert severity="warning" key={m.repoURL}>
            Stage says {m.expected}, pods run {m.running.join(', ')} (
            {m.repoURL})
          </Alert>
        ))}
        {!mismatches.length && freight.length > 0 && (
          <Alert severity="success">The pods run the stage's freight.</Alert>
        )}
        {clusters.map(c => (
          <ClusterContext.Provider value={c.cluster} key={c.cluster.name}>
            <Typography variant="subtitle2">
              Cluster {c.cluster.title ?? c.cluster.name}
            </Typography>
            <PodsTable pods={c.pods} extraColumns={[READY_COLUMNS]} />
          </ClusterContext.Provider>
        ))}
      </>
    );
  };

  return (
    <section aria-label="Workloads">
      <Typography variant="h6">Workloads</Typography>
      {body()}
    </section>
  );
}
