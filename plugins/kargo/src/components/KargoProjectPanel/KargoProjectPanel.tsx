import type { Entity } from '@backstage/catalog-model';
import { InfoCard } from '@backstage/core-components';
import type {
  FreightView,
  KargoProjectView,
  StageView,
} from '@kargo-backstage/plugin-kargo-common';
import Box from '@material-ui/core/Box';
import Checkbox from '@material-ui/core/Checkbox';
import Chip from '@material-ui/core/Chip';
import FormControl from '@material-ui/core/FormControl';
import InputLabel from '@material-ui/core/InputLabel';
import ListItemText from '@material-ui/core/ListItemText';
import MenuItem from '@material-ui/core/MenuItem';
import OutlinedInput from '@material-ui/core/OutlinedInput';
import Select from '@material-ui/core/Select';
import { makeStyles } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import SettingsIcon from '@material-ui/icons/Settings';
import { lazy, Suspense, useCallback, useMemo, useState } from 'react';
import { useProjectUpdates } from '../../hooks/useProjectUpdates';
import { FlexRow } from '../FlexRow';
import { FreightDrawer } from '../FreightDrawer';
import { DEFAULT_FREIGHT_LIMIT, FreightTimeline } from '../FreightTimeline';
import { PipelineGraph } from '../PipelineGraph';
import { PromoteDialog } from '../PromoteDialog';
import { WarehouseRefreshButtons } from '../KargoActions';
import { StageDrawer } from '../StageDrawer';
import { SafeLink } from '../SafeLink';
// Loaded when someone opens the settings, not with the tab.
const ProjectSettingsDialog = lazy(() =>
  import('../ProjectSettings').then(m => ({
    default: m.ProjectSettingsDialog,
  })),
);
import Button from '@material-ui/core/Button';

const useStyles = makeStyles({
  filter: {
    minWidth: 200,
    maxWidth: 360,
  },
});

export interface KargoProjectPanelProps {
  view: KargoProjectView;
  /** The catalog entity shown, for what it runs in Kubernetes. */
  entity?: Entity;
  /** Refetch the entity view; called on live updates. */
  onChange(): void;
  /** The freightLimit (per warehouse) the view was fetched with; the backend's default if left out. */
  freightLimit?: number;
  /** A larger freightLimit is being fetched. */
  loadingFreight?: boolean;
  /** Refetch with more freight per warehouse; without it, no "Load more". */
  onLoadMoreFreight?(): void;
}

/** One Kargo project on the entity page: warehouse filter, freight timeline, pipeline graph, drawers. */
export function KargoProjectPanel(props: KargoProjectPanelProps) {
  const { view, onChange } = props;
  const classes = useStyles();
  useProjectUpdates(view.instance, view.project, onChange);
  const [warehouseFilter, setWarehouseFilter] = useState<string[]>([]);
  const [stageName, setStageName] = useState<string>();
  const [freightName, setFreightName] = useState<string>();
  const [settingsOpen, setSettingsOpen] = useState(false);
  const [promote, setPromote] = useState<{ stage: string; freight?: string }>();

  const stage = view.stages.find(s => s.name === stageName);
  const selectedFreight = view.freight.find(f => f.name === freightName);
  // Kept between renders: the timeline's cards re-render only when their freight changes.
  const freight = useMemo(
    () =>
      warehouseFilter.length
        ? view.freight.filter(f => warehouseFilter.includes(f.origin.name))
        : view.freight,
    [view.freight, warehouseFilter],
  );
  const stageNames = useMemo(() => view.stages.map(s => s.name), [view.stages]);
  const selectFreight = useCallback(
    (f: FreightView) => setFreightName(f.name),
    [],
  );
  const hidden =
    Object.values(view.freightTotal).reduce((a, b) => a + b, 0) -
    view.freight.length;

  // Beside the title only what stays small; the filter and refresh sit in a toolbar below it,
  // which wraps rather than squeezing the title when a project has many warehouses.
  const header = (
    <Box display="flex" alignItems="center" style={{ gap: 8 }}>
      <Button
        size="small"
        variant="outlined"
        startIcon={<SettingsIcon />}
        onClick={() => setSettingsOpen(true)}
      >
        Settings
      </Button>
      {view.url && (
        <Box component="span" whiteSpace="nowrap">
          <SafeLink to={view.url}>Open in Kargo</SafeLink>
        </Box>
      )}
    </Box>
  );

  const toolbar = (
    <FlexRow
      wrap
      alignItems="center"
      gap={16}
      mb={2}
      role="toolbar"
      aria-label={`Freight and pipeline of ${view.project}`}
    >
      {view.warehouses.length > 1 && (
        <FormControl variant="outlined" size="small" className={classes.filter}>
          <InputLabel id={`${view.project}-warehouses`} shrink>
            Warehouses
          </InputLabel>
          <Select
            labelId={`${view.project}-warehouses`}
            input={<OutlinedInput notched label="Warehouses" />}
            multiple
            displayEmpty
            value={warehouseFilter}
            onChange={e => setWarehouseFilter(e.target.value as string[])}
            renderValue={v =>
              (v as string[]).length ? (v as string[]).join(', ') : 'All'
            }
            MenuProps={{
              // Below the field, never over the card's title.
              getContentAnchorEl: null,
              anchorOrigin: { vertical: 'bottom', horizontal: 'left' },
              transformOrigin: { vertical: 'top', horizontal: 'left' },
            }}
          >
            {view.warehouses.map(w => (
              <MenuItem key={w.name} value={w.name} dense>
                <Checkbox
                  size="small"
                  color="primary"
                  checked={warehouseFilter.includes(w.name)}
                  inputProps={{ 'aria-hidden': true }}
                  tabIndex={-1}
                />
                <ListItemText primary={w.name} />
              </MenuItem>
            ))}
          </Select>
        </FormControl>
      )}
      <WarehouseRefreshButtons view={view} />
    </FlexRow>
  );

  return (
    <InfoCard
      title={`Kargo · project ${view.project}`}
      subheader={`instance ${view.instance}`}
      action={header}
    >
      {toolbar}
      {view.warehouses
        .flatMap(w => w.problems)
        .map(problem => (
          <Chip key={problem} color="secondary" label={problem} />
        ))}
      <Typography variant="subtitle2" gutterBottom>
        Freight, newest first
        {hidden > 0
          ? ` (latest ${view.freight.length}; ${hidden} older not shown)`
          : ''}
      </Typography>
      <FreightTimeline
        freight={freight}
        stages={stageNames}
        onSelect={selectFreight}
        paging={{
          total: view.freightTotal,
          limit: props.freightLimit ?? DEFAULT_FREIGHT_LIMIT,
          loading: props.loadingFreight,
          onLoadMore: props.onLoadMoreFreight,
          kargoUrl: view.url,
        }}
      />
      <Typography variant="subtitle2" gutterBottom style={{ marginTop: 16 }}>
        Pipeline
      </Typography>
      <PipelineGraph
        view={view}
        warehouseFilter={warehouseFilter}
        onSelectStage={(s: StageView) => setStageName(s.name)}
      />
      {settingsOpen && (
        <Suspense fallback={null}>
          <ProjectSettingsDialog
            open={settingsOpen}
            project={{ instance: view.instance, project: view.project }}
            onClose={() => {
              setSettingsOpen(false);
              onChange();
            }}
          />
        </Suspense>
      )}
      <StageDrawer
        view={view}
        entity={props.entity}
        stage={stage}
        onClose={() => setStageName(undefined)}
        onPromote={s => setPromote({ stage: s.name })}
        onChange={onChange}
      />
      <FreightDrawer
        view={view}
        freight={selectedFreight}
        onClose={() => setFreightName(undefined)}
        onPromote={(f, s) => setPromote({ stage: s, freight: f.name })}
      />
      <PromoteDialog
        view={view}
        stage={view.stages.find(s => s.name === promote?.stage)}
        freightName={promote?.freight}
        onClose={() => setPromote(undefined)}
      />
    </InfoCard>
  );
}
