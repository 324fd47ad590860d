import type { FreightView } from '@kargo-backstage/plugin-kargo-common';
import { makeStyles } from '@material-ui/core/styles';
import { memo } from 'react';
import { VerdictChip } from '../FreightMetadata';
import { freightTitle, freightVersion } from '../../freightLabels';
import { MARKS, shownMarks } from './stageMarks';

/** A card's width and height, fixed so rows can be windowed without measuring them. */
export const CARD = { width: 150, height: 136 };

const useStyles = makeStyles(theme => ({
  card: {
    flex: `0 0 ${CARD.width}px`,
    height: CARD.height,
    boxSizing: 'border-box',
    overflow: 'hidden',
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
  line: {
    display: 'block',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
  },
  alias: { fontWeight: 600, fontSize: 13 },
  version: { fontFamily: 'monospace', fontSize: 12 },
  marks: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: MARKS.gap,
    marginTop: 4,
    maxHeight: 36,
    overflow: 'hidden',
  },
  stage: {
    color: '#fff',
    borderRadius: 8,
    padding: '0 6px',
    fontSize: 11,
    maxWidth: '100%',
    boxSizing: 'border-box',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
  },
  verified: { fontSize: 11, color: theme.palette.text.secondary },
}));

export interface FreightCardProps {
  freight: FreightView;
  /** The project's stages in order, and each one's colour. */
  stages: string[];
  colors: Map<string, string>;
  onSelect(freight: FreightView): void;
}

/**
 * One freight: alias, version, verdict, the stages it is in (in each stage's colour), and where
 * it was verified (✓) or manually approved (✔︎). Memoized: scrolling re-renders the row.
 */
export const FreightCard = memo(function Card(props: FreightCardProps) {
  const { freight: f, stages, colors, onSelect } = props;
  const classes = useStyles();
  const inStages = stages.filter(s => f.currentlyIn[s] !== undefined);
  const verified = stages.filter(
    s => f.verifiedIn[s] !== undefined && f.currentlyIn[s] === undefined,
  );
  const approved = Object.keys(f.approvedFor);
  // The stages it is in, as many as the card has room for; the rest counted ("+3") and named
  // in the tooltip.
  const shown = shownMarks(inStages);
  return (
    // A plain button: hundreds of them stay cheap (no ripple per card).
    <button type="button" className={classes.card} onClick={() => onSelect(f)}>
      <span className={`${classes.line} ${classes.alias}`}>
        {freightTitle(f)}
      </span>
      <span className={`${classes.line} ${classes.version}`}>
        {freightVersion(f)}
      </span>
      {f.portalMetadata?.verdict && (
        <VerdictChip verdict={f.portalMetadata.verdict} />
      )}
      <span
        className={classes.marks}
        title={inStages.length ? `in ${inStages.join(', ')}` : undefined}
      >
        {inStages.slice(0, shown).map(s => (
          <span
            key={s}
            className={classes.stage}
            style={{ background: colors.get(s) }}
          >
            {s}
          </span>
        ))}
        {shown < inStages.length && (
          <span className={classes.verified}>+{inStages.length - shown}</span>
        )}
      </span>
      {(verified.length > 0 || approved.length > 0) && (
        <span
          className={`${classes.line} ${classes.verified}`}
          title="✓ verified in, ✔︎ approved for"
        >
          {verified.map(s => `✓${s}`).join(' ')}{' '}
          {approved.map(s => `✔︎${s}`).join(' ')}
        </span>
      )}
    </button>
  );
});
