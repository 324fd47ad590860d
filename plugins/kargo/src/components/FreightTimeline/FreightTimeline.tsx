import type { FreightView } from '@kargo-backstage/plugin-kargo-common';
import { makeStyles } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import { VerdictChip } from '../FreightMetadata';
import { freightTitle, freightVersion, stageColor } from '../../freightLabels';

const useStyles = makeStyles(theme => ({
  strip: {
    display: 'flex',
    gap: theme.spacing(1),
    overflowX: 'auto',
    paddingBottom: theme.spacing(1),
  },
  item: {
    flex: '0 0 150px',
    display: 'flex',
    // A project may show a thousand freight; the browser lays out only those in view.
    contentVisibility: 'auto',
    containIntrinsicSize: '150px 90px',
  },
  card: {
    flex: 1,
    font: 'inherit',
    color: 'inherit',
    cursor: 'pointer',
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'stretch',
    justifyContent: 'flex-start',
    textAlign: 'left',
    padding: theme.spacing(1),
    borderRadius: theme.shape.borderRadius,
    border: `1px solid ${theme.palette.divider}`,
    background: theme.palette.background.paper,
    '&:focus-visible': { outline: `2px solid ${theme.palette.primary.main}` },
  },
  alias: {
    display: 'block',
    fontWeight: 600,
    fontSize: 13,
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
  },
  version: { display: 'block', fontFamily: 'monospace', fontSize: 12 },
  marks: { display: 'flex', flexWrap: 'wrap', gap: 4, marginTop: 4 },
  stage: { color: '#fff', borderRadius: 8, padding: '0 6px', fontSize: 11 },
  verified: {
    display: 'block',
    fontSize: 11,
    color: theme.palette.text.secondary,
  },
}));

export interface FreightTimelineProps {
  freight: FreightView[];
  stages: string[];
  onSelect(freight: FreightView): void;
}

/**
 * Freight as columns, newest first: alias, version, the stages it is in (in each stage's
 * colour), and where it was verified (✓) or manually approved (✔︎ approved).
 */
export function FreightTimeline(props: FreightTimelineProps) {
  const { freight, stages, onSelect } = props;
  const classes = useStyles();
  if (!freight.length) {
    return (
      <Typography color="textSecondary">
        No freight yet: the warehouses have not discovered anything.
      </Typography>
    );
  }
  return (
    <div
      className={classes.strip}
      role="list"
      aria-label="Freight, newest first"
    >
      {freight.map(f => {
        const inStages = stages.filter(s => f.currentlyIn[s] !== undefined);
        const verified = stages.filter(
          s => f.verifiedIn[s] !== undefined && !inStages.includes(s),
        );
        const approved = Object.keys(f.approvedFor);
        return (
          <div
            key={f.name}
            className={classes.item}
            role="listitem"
            aria-label={`Freight ${freightTitle(f)} ${freightVersion(f)}`}
          >
            {/* A plain button: a thousand of them stay cheap (no ripple per card). */}
            <button
              type="button"
              className={classes.card}
              onClick={() => onSelect(f)}
            >
              <span className={classes.alias}>{freightTitle(f)}</span>
              <span className={classes.version}>{freightVersion(f)}</span>
              {f.portalMetadata?.verdict && (
                <VerdictChip verdict={f.portalMetadata.verdict} />
              )}
              <span className={classes.marks}>
                {inStages.map(s => (
                  <span
                    key={s}
                    className={classes.stage}
                    style={{ background: stageColor(stages, s) }}
                  >
                    {s}
                  </span>
                ))}
              </span>
              {(verified.length > 0 || approved.length > 0) && (
                <span
                  className={classes.verified}
                  title="✓ verified in, ✔︎ approved for"
                >
                  {verified.map(s => `✓${s}`).join(' ')}{' '}
                  {approved.map(s => `✔︎${s}`).join(' ')}
                </span>
              )}
            </button>
          </div>
        );
      })}
    </div>
  );
}
