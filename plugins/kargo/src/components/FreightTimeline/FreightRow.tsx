import type { FreightView } from '@kargo-backstage/plugin-kargo-common';
import { makeStyles } from '@material-ui/core/styles';
import { freightTitle, freightVersion } from '../../freightLabels';
import { CARD, FreightCard } from './FreightCard';
import { FreightPaging, moreFreight } from './freightPaging';
import { MoreFreightCell } from './MoreFreightCell';
import { useWindowedRange } from './useWindowedRange';

const GAP = 8;
/** From one card's left edge to the next one's. */
export const COLUMN = CARD.width + GAP;

const useStyles = makeStyles(theme => ({
  strip: {
    display: 'flex',
    gap: GAP,
    overflowX: 'auto',
    paddingBottom: theme.spacing(1),
  },
  list: { display: 'flex', gap: GAP, flex: 'none' },
  item: { display: 'flex' },
}));

export interface FreightRowProps {
  warehouse: string;
  /** The warehouse's freight, newest first. */
  freight: FreightView[];
  stages: string[];
  colors: Map<string, string>;
  onSelect(freight: FreightView): void;
  paging?: FreightPaging;
  /** The list's accessible name. */
  label: string;
}

/**
 * One warehouse's freight, newest first, scrolling sideways. Only the cards in view (and a few
 * beside) are rendered; the others' room is kept as padding so the scrollbar stays true.
 */
export function FreightRow(props: FreightRowProps) {
  const { warehouse, freight, stages, colors, onSelect, paging, label } = props;
  const classes = useStyles();
  const { ref, start, end, onScroll } = useWindowedRange<HTMLDivElement>({
    count: freight.length,
    size: COLUMN,
    axis: 'x',
  });
  const more = moreFreight(paging, warehouse, freight.length);
  return (
    <div ref={ref} className={classes.strip} onScroll={onScroll}>
      <div
        className={classes.list}
        role="list"
        aria-label={label}
        style={{
          paddingLeft: start * COLUMN,
          paddingRight: Math.max(0, freight.length - end) * COLUMN,
        }}
      >
        {freight.slice(start, end).map((f, i) => (
          <div
            key={f.name}
            className={classes.item}
            role="listitem"
            aria-label={`Freight ${freightTitle(f)} ${freightVersion(f)}`}
            aria-posinset={start + i + 1}
            aria-setsize={freight.length}
          >
            <FreightCard
              freight={f}
              stages={stages}
              colors={colors}
              onSelect={onSelect}
            />
          </div>
        ))}
      </div>
      {paging && (
        <MoreFreightCell warehouse={warehouse} more={more} paging={paging} />
      )}
    </div>
  );
}
