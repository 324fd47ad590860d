import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
  Table,
} from '@backstage/core-components';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { KargoProjectView } from '@kargo-backstage/plugin-kargo-common';
import Typography from '@material-ui/core/Typography';
import { freightTitle, freightVersion } from '../../freightLabels';
import { useKargoEntityView } from '../../hooks/useKargoEntityView';
import { useLineStopUpdates } from '../../hooks/useLineStopUpdates';
import { useProjectUpdates } from '../../hooks/useProjectUpdates';
import { pendingApprovals, pendingLabel } from '../Approvals';
import { KargoAnnotated } from '../KargoAnnotated';
import { LineStopBanner } from '../LineStop';
import { KargoStatus } from '../KargoStatus';
import { freezeLabel } from '../StageFreeze';

function rows(project: KargoProjectView) {
  const freight = new Map(project.freight.map(f => [f.name, f]));
  const pending = pendingApprovals(project);
  return project.stages
    .filter(s => !s.controlFlow)
    .map(s => ({
      id: s.name,
      stage: s.name,
      freight: Object.values(s.currentFreight)
        .map(n => {
          const f = freight.get(n);
          return f
            ? `${freightVersion(f)} (${freightTitle(f)})`
            : n.slice(0, 7);
        })
        .join(', '),
      health: s.health,
      promoting: s.currentPromotion ? 'Running' : undefined,
      freeze: freezeLabel(s.promotionWindow),
      approvals: pending.get(s.name),
    }));
}

/** "3 approvals pending" across the project's stages, or nothing. */
function pendingTotal(project: KargoProjectView): string | undefined {
  const total = [...pendingApprovals(project).values()].reduce(
    (a, b) => a + b,
    0,
  );
  return total ? pendingLabel(total) : undefined;
}

/**
 * A compact card for the entity overview: per stage, what runs there and whether it is healthy.
 * @public
 */
export function EntityKargoCard() {
  return (
    <KargoAnnotated>
      {entity => <KargoCardBody entityRef={stringifyEntityRef(entity)} />}
    </KargoAnnotated>
  );
}

/** Refetches when Kargo reports a change in the project (a promotion, a vote, a freeze). */
function ProjectUpdates(props: {
  instance: string;
  project: string;
  onChange(): void;
}) {
  useProjectUpdates(props.instance, props.project, props.onChange);
  return null;
}

function KargoCardBody(props: { entityRef: string }) {
  const { view, loading, error, refresh } = useKargoEntityView(props.entityRef);
  useLineStopUpdates(refresh);
  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  return (
    <>
      <LineStopBanner lineStops={view?.lineStops} onChange={refresh} />
      {view?.projects.map(p => (
        <ProjectUpdates
          key={`${p.instance}/${p.project}`}
          instance={p.instance}
          project={p.project}
          onChange={refresh}
        />
      ))}
      {view?.projects.map(project =>
        'error' in project ? (
          <InfoCard key={project.project} title={`Kargo · ${project.project}`}>
            <Typography color="error">{project.error.message}</Typography>
          </InfoCard>
        ) : (
          <Table
            key={project.project}
            title={`Kargo · ${project.project}`}
            subtitle={pendingTotal(project)}
            options={{
              paging: false,
              search: false,
              padding: 'dense',
              toolbar: true,
            }}
            data={rows(project)}
            columns={[
              { title: 'Stage', field: 'stage' },
              { title: 'Freight', field: 'freight' },
              {
                title: 'Status',
                render: row => (
                  <>
                    <KargoStatus phase={row.health} />{' '}
                    <KargoStatus phase={row.promoting} label="promoting" />
                    {row.freeze && <span> ❄ {row.freeze}</span>}
                    {row.approvals && (
                      <span> ✋ {pendingLabel(row.approvals)}</span>
                    )}
                  </>
                ),
              },
            ]}
          />
        ),
      )}
    </>
  );
}
