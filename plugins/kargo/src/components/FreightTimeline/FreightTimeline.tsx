import type { FreightView } from '@kargo-backstage/plugin-kargo-common';
import { makeStyles } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import { useMemo } from 'react';
import { stageColor } from '../../freightLabels';
import { CARD } from './FreightCard';
import type { FreightPaging } from './freightPaging';
import { FreightRow } from './FreightRow';
import { useWindowedRange } from './useWindowedRange';

/** Rows shown at once; more warehouses scroll inside the timeline, not down the page. */
const VISIBLE_ROWS = 3;
/** A row: the warehouse's name, its cards and room for a scrollbar. */
export const ROW = { height: CARD.height + 48 };

const useStyles = makeStyles(theme => ({
  rows: { overflowY: 'auto' },
  row: { height: ROW.height, boxSizing: 'border-box' },
  warehouse: { display: 'block', color: theme.palette.text.secondary },
}));

export interface FreightTimelineProps {
  freight: FreightView[];
  stages: string[];
  onSelect(freight: FreightView): void;
  /** How much of each warehouse's freight is loaded; with it, each row ends with what is left. */
  paging?: FreightPaging;
}

/** The freight grouped by warehouse, in the order given (newest first within each). */
function byWarehouse(freight: FreightView[]) {
  const rows = new Map<string, FreightView[]>();
  for (const f of freight) {
    const row = rows.get(f.origin.name);
    if (row) row.push(f);
    else rows.set(f.origin.name, [f]);
  }
  return [...rows.entries()].map(([warehouse, items]) => ({
    warehouse,
    freight: items,
  }));
}

/**
 * Freight as columns, newest first, a row per warehouse. Rows and columns are windowed: a
 * project with thousands of freight renders only the cards in view.
 */
export function FreightTimeline(props: FreightTimelineProps) {
  const { freight, stages, onSelect, paging } = props;
  const classes = useStyles();
  const rows = useMemo(() => byWarehouse(freight), [freight]);
  const colors = useMemo(
    () => new Map(stages.map(s => [s, stageColor(stages, s)])),
    [stages],
  );
  const many = rows.length > VISIBLE_ROWS;
  const { ref, start, end, onScroll } = useWindowedRange<HTMLDivElement>({
    count: rows.length,
    size: ROW.height,
    axis: 'y',
    overscan: 1,
    unmeasured: VISIBLE_ROWS + 1,
  });
  if (!freight.length) {
    return (
      <Typography color="textSecondary">
        No freight yet: the warehouses have not discovered anything.
      </Typography>
    );
  }
  const row = (r: (typeof rows)[number]) => (
    <FreightRow
      key={r.warehouse}
      warehouse={r.warehouse}
      freight={r.freight}
      stages={stages}
      colors={colors}
      onSelect={onSelect}
      paging={paging}
      label={
        rows.length > 1
          ? `Freight of ${r.warehouse}, newest first`
          : 'Freight, newest first'
      }
    />
  );
  if (rows.length === 1) return row(rows[0]);
  const shown = many ? rows.slice(start, end) : rows;
  return (
    <div
      ref={ref}
      className={classes.rows}
      onScroll={onScroll}
      style={many ? { height: (VISIBLE_ROWS + 0.5) * ROW.height } : undefined}
    >
      <div
        style={{
          paddingTop: many ? start * ROW.height : 0,
          paddingBottom: many ? (rows.length - end) * ROW.height : 0,
        }}
      >
        {shown.map(r => (
          <div key={r.warehouse} className={classes.row}>
            <Typography variant="caption" className={classes.warehouse}>
              {r.warehouse}
              {paging?.total[r.warehouse]
                ? ` · ${r.freight.length} of ${paging.total[r.warehouse]}`
                : ''}
            </Typography>
            {row(r)}
          </div>
        ))}
      </div>
    </div>
  );
}
