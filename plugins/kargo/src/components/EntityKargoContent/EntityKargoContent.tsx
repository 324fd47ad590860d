import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
  StructuredMetadataTable,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  MissingAnnotationEmptyState,
  useEntity,
} from '@backstage/plugin-catalog-react';
import {
  getKargoAnnotations,
  KARGO_PROJECT_ANNOTATION,
} from '@kargo-backstage/plugin-kargo-common';
import Grid from '@material-ui/core/Grid';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { kargoApiRef } from '../../api';

/**
 * The "Kargo" tab of a catalog entity.
 * @public
 */
export function EntityKargoContent() {
  const { entity } = useEntity();
  const annotations = getKargoAnnotations(entity);
  const kargoApi = useApi(kargoApiRef);
  const health = useAsyncRetry(() => kargoApi.getHealth(), [kargoApi]);

  if (!annotations) {
    return (
      <MissingAnnotationEmptyState annotation={KARGO_PROJECT_ANNOTATION} />
    );
  }
  if (health.loading) {
    return <Progress />;
  }
  if (health.error) {
    return <ResponseErrorPanel error={health.error} />;
  }

  return (
    <Grid container spacing={3}>
      {annotations.projects.map(project => (
        <Grid item xs={12} md={6} key={project}>
          <InfoCard title={`Kargo · project ${project}`}>
            <StructuredMetadataTable
              metadata={{
                instance: annotations.instance ?? 'default',
                stages: annotations.stages?.join(', ') ?? 'all',
                warehouses: annotations.warehouses?.join(', ') ?? 'all',
                'kargo backend': health.value?.status,
              }}
            />
          </InfoCard>
        </Grid>
      ))}
    </Grid>
  );
}
