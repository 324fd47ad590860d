import { StructuredMetadataTable } from '@backstage/core-components';
import type {
  FreightView,
  KargoProjectView,
} from '@kargo-backstage/plugin-kargo-common';
import Box from '@material-ui/core/Box';
import Drawer from '@material-ui/core/Drawer';
import IconButton from '@material-ui/core/IconButton';
import { makeStyles } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import CloseIcon from '@material-ui/icons/Close';
import { freightTitle, freightVersion } from '../../freightLabels';
import { FreightActions } from '../KargoActions';
import { FreightMetadataPanel } from '../FreightMetadata';

const useStyles = makeStyles(theme => ({
  paper: { width: 560, maxWidth: '100vw', padding: theme.spacing(2) },
  section: { marginTop: theme.spacing(3) },
  row: {
    padding: theme.spacing(0.5, 0),
    borderBottom: `1px solid ${theme.palette.divider}`,
    wordBreak: 'break-all',
  },
  mono: { fontFamily: 'monospace' },
}));

export interface FreightDrawerProps {
  view: KargoProjectView;
  freight?: FreightView;
  onClose(): void;
  /** Opens the promote dialog for the freight into a stage. */
  onPromote(freight: FreightView, stage: string): void;
}

/** One piece of freight: what it contains, where it is and has been verified, its metadata. */
export function FreightDrawer(props: FreightDrawerProps) {
  const { freight, onClose } = props;
  const classes = useStyles();
  const list = (m: Record<string, string | undefined>) =>
    Object.entries(m)
      .map(([stage, at]) => `${stage}${at ? ` (${at})` : ''}`)
      .join(', ') || 'none';
  return (
    <Drawer
      anchor="right"
      open={Boolean(freight)}
      onClose={onClose}
      classes={{ paper: classes.paper }}
    >
      {freight && (
        <>
          <Box
            display="flex"
            justifyContent="space-between"
            alignItems="center"
          >
            <Typography variant="h5">
              Freight {freightTitle(freight)} · {freightVersion(freight)}
            </Typography>
            <IconButton aria-label="Close" onClick={onClose}>
              <CloseIcon />
            </IconButton>
          </Box>
          <FreightActions
            key={freight.name}
            view={props.view}
            freight={freight}
            onPromote={stage => props.onPromote(freight, stage)}
          />
          <StructuredMetadataTable
            metadata={{
              name: <span className={classes.mono}>{freight.name}</span>,
              origin: `${freight.origin.kind}/${freight.origin.name}`,
              discovered: freight.discoveredAt ?? '—',
              'currently in': list(freight.currentlyIn),
              'verified in': list(freight.verifiedIn),
              'approved for': list(freight.approvedFor),
            }}
          />
          <div className={classes.section}>
            <Typography variant="h6">Contents</Typography>
            {freight.images.map(i => (
              <div key={`${i.repoURL}:${i.tag}`} className={classes.row}>
                image{' '}
                <b>
                  {i.repoURL}:{i.tag}
                </b>{' '}
                <span className={classes.mono}>{i.digest}</span>
              </div>
            ))}
            {freight.commits.map(c => (
              <div key={`${c.repoURL}@${c.id}`} className={classes.row}>
                commit <b>{c.repoURL}</b>{' '}
                <span className={classes.mono}>
                  {c.tag ?? c.id?.slice(0, 12)}
                </span>
                {c.branch && ` on ${c.branch}`}: {c.message}{' '}
                {c.author && `— ${c.author}`}
              </div>
            ))}
            {freight.charts.map(c => (
              <div
                key={`${c.repoURL}/${c.name}:${c.version}`}
                className={classes.row}
              >
                chart{' '}
                <b>
                  {c.repoURL}
                  {c.name ? `/${c.name}` : ''}
                </b>{' '}
                {c.version}
              </div>
            ))}
          </div>
          <div className={classes.section}>
            <FreightMetadataPanel view={props.view} freight={freight} />
          </div>
        </>
      )}
    </Drawer>
  );
}
