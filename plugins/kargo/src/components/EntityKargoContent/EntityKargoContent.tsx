import {
  Progress,
  ResponseErrorPanel,
  WarningPanel,
} from '@backstage/core-components';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  KargoProjectError,
  KargoProjectView,
} from '@kargo-backstage/plugin-kargo-common';
import Grid from '@material-ui/core/Grid';
import { useState } from 'react';
import { useKargoEntityView } from '../../hooks/useKargoEntityView';
import { useLineStopUpdates } from '../../hooks/useLineStopUpdates';
import { FlexRow } from '../FlexRow';
import { nextFreightLimit } from '../FreightTimeline';
import { KargoAnnotated } from '../KargoAnnotated';
import { LineStopBanner, StopTheLineButton } from '../LineStop';
import { KargoProjectPanel } from '../KargoProjectPanel';

const isError = (
  p: KargoProjectView | KargoProjectError,
): p is KargoProjectError => 'error' in p;

/**
 * The "Kargo" tab of a catalog entity: each project it names, with its freight and pipeline.
 * @public
 */
export function EntityKargoContent() {
  return (
    <KargoAnnotated>
      {entity => <KargoProjects entity={entity} />}
    </KargoAnnotated>
  );
}

function KargoProjects(props: { entity: Entity }) {
  const { entity } = props;
  // Freight per warehouse: "Load more" raises it, and live updates keep fetching that many.
  const [freightLimit, setFreightLimit] = useState<number>();
  const { view, loading, error, refresh, loadingFreight } = useKargoEntityView(
    stringifyEntityRef(entity),
    freightLimit,
  );
  useLineStopUpdates(refresh);
  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  if (!view) return null;
  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <LineStopBanner lineStops={view.lineStops} onChange={refresh} />
        <FlexRow gap={8} justifyContent="flex-end">
          <StopTheLineButton
            instances={[...new Set(view.projects.map(p => p.instance))]}
            onChange={refresh}
          />
        </FlexRow>
      </Grid>
      {view.projects.map(project => (
        <Grid item xs={12} key={`${project.instance}/${project.project}`}>
          {isError(project) ? (
            <WarningPanel
              severity="error"
              title={`Kargo project ${project.project} on instance ${project.instance} could not be read`}
              message={project.error.message}
            />
          ) : (
            <KargoProjectPanel
              view={project}
              entity={entity}
              onChange={refresh}
              freightLimit={freightLimit}
              loadingFreight={loadingFreight}
              onLoadMoreFreight={() => setFreightLimit(nextFreightLimit)}
            />
          )}
        </Grid>
      ))}
    </Grid>
  );
}
