import { makeStyles } from '@material-ui/core/styles';

/** The look of the pipeline's nodes, shared by stages, warehouses and freightlines. */
export const useNodeStyles = makeStyles(theme => ({
  node: {
    boxSizing: 'border-box',
    height: '100%',
    padding: theme.spacing(1),
    borderRadius: theme.shape.borderRadius,
    border: `1px solid ${theme.palette.divider}`,
    borderLeftWidth: 6,
    background: theme.palette.background.paper,
    color: theme.palette.text.primary,
    fontSize: 13,
    lineHeight: 1.4,
    overflow: 'hidden',
    cursor: 'pointer',
    '&:focus': { outline: `2px solid ${theme.palette.primary.main}` },
  },
  /** The stage the user looked for with "Find stage". */
  // Inside the node: its foreignObject clips anything drawn around it.
  found: {
    background: theme.palette.action.selected,
    boxShadow: `inset 0 0 0 2px ${theme.palette.primary.main}`,
  },
  warehouse: {
    background: theme.palette.background.default,
    cursor: 'default',
  },
  freightline: {
    background: theme.palette.background.default,
    borderStyle: 'dashed',
  },
  title: {
    fontWeight: 600,
    fontSize: 15,
    gap: theme.spacing(1),
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'space-between',
  },
  muted: { color: theme.palette.text.secondary },
  /** "auto", "warehouse": beside the name, which they leave the room to (shrinking first). */
  tag: {
    flexShrink: 100,
    minWidth: 0,
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
    fontSize: 13,
    fontWeight: 400,
    color: theme.palette.text.secondary,
  },
  line: { whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' },
}));
