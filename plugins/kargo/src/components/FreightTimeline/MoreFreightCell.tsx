import Button from '@material-ui/core/Button';
import { makeStyles } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import { SafeLink } from '../SafeLink';
import { CARD } from './FreightCard';
import type { FreightPaging, MoreFreight } from './freightPaging';

const useStyles = makeStyles(theme => ({
  cell: {
    flex: `0 0 ${CARD.width}px`,
    height: CARD.height,
    boxSizing: 'border-box',
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'center',
    justifyContent: 'center',
    gap: theme.spacing(1),
    padding: theme.spacing(1),
    textAlign: 'center',
    border: `1px dashed ${theme.palette.divider}`,
    borderRadius: theme.shape.borderRadius,
  },
}));

/**
 * The end of a warehouse's row, after its oldest loaded freight: "Load more" while the backend
 * can send more, else how many are not shown and a link to them in Kargo's UI.
 */
export function MoreFreightCell(props: {
  warehouse: string;
  more: MoreFreight;
  paging: FreightPaging;
}) {
  const { warehouse, more, paging } = props;
  const classes = useStyles();
  if (more.kind === 'none') return null;
  return (
    <div className={classes.cell}>
      <Typography variant="caption" color="textSecondary">
        {more.notShown} older not shown
      </Typography>
      {more.kind === 'load' ? (
        <Button
          size="small"
          variant="outlined"
          disabled={paging.loading}
          aria-label={`Load more freight of ${warehouse}`}
          onClick={() => paging.onLoadMore?.()}
        >
          {paging.loading ? 'Loading…' : 'Load more'}
        </Button>
      ) : (
        paging.kargoUrl && (
          <SafeLink to={paging.kargoUrl}>See them in Kargo</SafeLink>
        )
      )}
    </div>
  );
}
