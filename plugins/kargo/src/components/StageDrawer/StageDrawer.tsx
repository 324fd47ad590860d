import type { Entity } from '@backstage/catalog-model';
import { StructuredMetadataTable } from '@backstage/core-components';
import type {
  FreightView,
  KargoProjectView,
  StageView,
} from '@kargo-backstage/plugin-kargo-common';
import Box from '@material-ui/core/Box';
import Drawer from '@material-ui/core/Drawer';
import IconButton from '@material-ui/core/IconButton';
import { makeStyles } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import CloseIcon from '@material-ui/icons/Close';
import { freightTitle, freightVersion } from '../../freightLabels';
import { StageApprovals } from '../Approvals';
import { StageActions } from '../KargoActions';
import { KargoStatus } from '../KargoStatus';
import { StageFreeze } from '../StageFreeze';
import { SafeLink } from '../SafeLink';
import { lazy, Suspense } from 'react';

// The Kubernetes plugin's components load when a stage is opened, not with the tab.
const StageWorkloads = lazy(() =>
  import('../StageWorkloads').then(m => ({ default: m.StageWorkloads })),
);

const useStyles = makeStyles(theme => ({
  paper: { width: 720, maxWidth: '100vw', padding: theme.spacing(2) },
  section: { marginTop: theme.spacing(3) },
  row: {
    padding: theme.spacing(0.5, 0),
    borderBottom: `1px solid ${theme.palette.divider}`,
  },
  mono: { fontFamily: 'monospace' },
}));

export interface StageDrawerProps {
  view: KargoProjectView;
  /** The catalog entity shown: its Kubernetes workloads appear per stage. */
  entity?: Entity;
  stage?: StageView;
  onClose(): void;
  /** Opens the promote dialog for the stage. */
  onPromote(stage: StageView): void;
  /** Refetch the view after a change made here (an approval vote). */
  onChange?(): void;
}

/** Everything about one stage: health, what it runs, its freight history, promotions, verifications. */
export function StageDrawer(props: StageDrawerProps) {
  const { view, stage, onClose } = props;
  const classes = useStyles();
  const freight = new Map(view.freight.map(f => [f.name, f]));
  const label = (name: string) => {
    const f: FreightView | undefined = freight.get(name);
    return f ? `${freightTitle(f)} (${freightVersion(f)})` : name.slice(0, 7);
  };
  const promotions = stage
    ? view.promotions.filter(p => p.stage === stage.name)
    : [];

  return (
    <Drawer
      anchor="right"
      open={Boolean(stage)}
      onClose={onClose}
      classes={{ paper: classes.paper }}
    >
      {stage && (
        <>
          <Box
            display="flex"
            justifyContent="space-between"
            alignItems="center"
          >
            <Typography variant="h5">Stage {stage.name}</Typography>
            <IconButton aria-label="Close" onClick={onClose}>
              <CloseIcon />
            </IconButton>
          </Box>
          {stage.description && (
            <Typography color="textSecondary">{stage.description}</Typography>
          )}
          <StageActions
            view={view}
            stage={stage}
            onPromote={() => props.onPromote(stage)}
          />
          <StructuredMetadataTable
            metadata={{
              health: stage.health ? <KargoStatus phase={stage.health} /> : '—',
              'health issues': stage.healthIssues.join('; ') || 'none',
              'current freight':
                Object.values(stage.currentFreight).map(label).join(', ') ||
                'none',
              'rendered commit': stage.renderedCommit ? (
                <span className={classes.mono}>
                  {stage.renderedCommit.slice(0, 12)}
                </span>
              ) : (
                '—'
              ),
              verification: stage.verification ? (
                <KargoStatus phase={stage.verification.phase} />
              ) : (
                'not configured'
              ),
              'auto-promotion': stage.autoPromotionEnabled ? 'on' : 'off',
              'takes freight from': stage.requestedFreight
                .map(
                  r =>
                    `${r.origin.name} ← ${
                      r.direct
                        ? 'warehouse'
                        : r.stages.join(
                            r.availabilityStrategy === 'All' ? ' + ' : ' or ',
                          )
                    }${
                      r.requiredSoakTime ? ` (soak ${r.requiredSoakTime})` : ''
                    }`,
                )
                .join('; '),
            }}
          />
          <StageApprovals
            className={classes.section}
            view={view}
            stage={stage}
            onChange={props.onChange}
          />
          <div className={classes.section}>
            <StageFreeze view={view} stage={stage} />
          </div>
          <div className={classes.section}>
            <Suspense fallback={null}>
              <StageWorkloads entity={props.entity} view={view} stage={stage} />
            </Suspense>
          </div>
          {stage.conditions.some(c => c.status !== 'True' && c.message) && (
            <div className={classes.section}>
              <Typography variant="h6">Conditions</Typography>
              {stage.conditions.map(c => (
                <div key={c.type} className={classes.row}>
                  <b>{c.type}</b> {c.status} {c.reason && `(${c.reason})`}{' '}
                  {c.message}
                </div>
              ))}
            </div>
          )}
          <div className={classes.section}>
            <Typography variant="h6">Promotions</Typography>
            {promotions.length === 0 && (
              <Typography color="textSecondary">
                No recent promotions.
              </Typography>
            )}
            {promotions.map(p => (
              <div key={p.name} className={classes.row}>
                <KargoStatus phase={p.phase} />{' '}
                {p.freight ? label(p.freight) : ''} · {p.actor ?? 'unknown'}{' '}
                {p.finishedAt ?? p.startedAt ?? p.createdAt}
                {p.pullRequestUrl && (
                  <>
                    {' · '}
                    <SafeLink to={p.pullRequestUrl}>pull request</SafeLink>
                  </>
                )}
                {p.message && (
                  <Typography variant="body2" color="textSecondary">
                    {p.message}
                  </Typography>
                )}
                <Typography variant="body2" color="textSecondary">
                  Steps:{' '}
                  {p.steps
                    .map(s => `${s.alias} ${s.status ?? 'waiting'}`)
                    .join(' → ')}
                </Typography>
              </div>
            ))}
          </div>
          <div className={classes.section}>
            <Typography variant="h6">Freight history</Typography>
            {stage.history.map((h, i) => (
              <div key={h.id ?? i} className={classes.row}>
                {Object.values(h.freight).map(label).join(', ')}{' '}
                {h.verifications.map(v => (
                  <span key={v.id}>
                    <KargoStatus
                      phase={v.phase}
                      label={`verification ${v.phase}${
                        v.actor ? ` by ${v.actor}` : ''
                      }`}
                    />{' '}
                  </span>
                ))}
              </div>
            ))}
          </div>
        </>
      )}
    </Drawer>
  );
}
