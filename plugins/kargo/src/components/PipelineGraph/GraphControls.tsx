import Button from '@material-ui/core/Button';
import IconButton from '@material-ui/core/IconButton';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import UnfoldLessIcon from '@material-ui/icons/UnfoldLess';
import UnfoldMoreIcon from '@material-ui/icons/UnfoldMore';
import ZoomInIcon from '@material-ui/icons/ZoomIn';
import ZoomOutIcon from '@material-ui/icons/ZoomOut';
import ZoomOutMapIcon from '@material-ui/icons/ZoomOutMap';
import { useState } from 'react';
import { FlexRow } from '../FlexRow';

export type ZoomStep = 'in' | 'out' | 'fit';

export interface GraphControlsProps {
  project: string;
  /** The stages of the graph, collapsed freightlines included. */
  stages: string[];
  onFind(stage: string | undefined): void;
  /** The graph's scale on screen (1 = node text at its CSS size). */
  scale: number;
  onZoom(step: ZoomStep): void;
  /** Freightlines the graph has; collapse and expand all show with two or more. */
  freightlines: number;
  onCollapseAll(collapse: boolean): void;
}

/** Above the pipeline: find a stage, zoom, and collapse or expand every freightline. */
export function GraphControls(props: GraphControlsProps) {
  const { stages, scale, onZoom, onFind } = props;
  return (
    <FlexRow
      wrap
      alignItems="center"
      gap={8}
      mb={1}
      role="toolbar"
      aria-label={`Pipeline of ${props.project}`}
    >
      <FindStage project={props.project} stages={stages} onFind={onFind} />
      <IconButton
        size="small"
        aria-label="Zoom out"
        onClick={() => onZoom('out')}
      >
        <ZoomOutIcon />
      </IconButton>
      <Typography variant="body2" role="status" title="Zoom">
        {Math.round(scale * 100)}%
      </Typography>
      <IconButton
        size="small"
        aria-label="Zoom in"
        onClick={() => onZoom('in')}
      >
        <ZoomInIcon />
      </IconButton>
      <IconButton
        size="small"
        aria-label="Fit the pipeline in view"
        title="Fit the pipeline in view"
        onClick={() => onZoom('fit')}
      >
        <ZoomOutMapIcon />
      </IconButton>
      {props.freightlines > 1 && (
        <>
          <Button
            size="small"
            startIcon={<UnfoldLessIcon />}
            onClick={() => props.onCollapseAll(true)}
          >
            Collapse freightlines
          </Button>
          <Button
            size="small"
            startIcon={<UnfoldMoreIcon />}
            onClick={() => props.onCollapseAll(false)}
          >
            Expand freightlines
          </Button>
        </>
      )}
    </FlexRow>
  );
}

/**
 * A text field with the stage names as suggestions (a native datalist: cheap with hundreds of
 * stages, and named for screen readers). Picking a name finds it; Enter finds the first stage
 * whose name contains what was typed.
 */
function FindStage(props: {
  project: string;
  stages: string[];
  onFind(stage: string | undefined): void;
}) {
  const { project, stages, onFind } = props;
  const [text, setText] = useState('');
  const [missing, setMissing] = useState(false);
  const listId = `${project}-stage-names`;
  return (
    <>
      <TextField
        id={`${project}-find-stage`}
        label="Find stage"
        variant="outlined"
        size="small"
        style={{ width: 240 }}
        value={text}
        error={missing}
        helperText={missing ? 'No such stage here' : undefined}
        inputProps={{ list: listId, autoComplete: 'off' }}
        onChange={e => {
          const value = e.target.value;
          setText(value);
          setMissing(false);
          if (!value) onFind(undefined);
          else if (stages.includes(value)) onFind(value);
        }}
        onKeyDown={e => {
          if (e.key !== 'Enter' || !text) return;
          const typed = text.toLocaleLowerCase();
          const stage = stages.find(s => s.toLocaleLowerCase().includes(typed));
          setMissing(!stage);
          if (stage) onFind(stage);
        }}
      />
      <datalist id={listId}>
        {stages.map(s => (
          <option key={s} value={s} />
        ))}
      </datalist>
    </>
  );
}
