import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { kargoLineStopPermission } from '@kargo-backstage/plugin-kargo-common';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import FormControl from '@material-ui/core/FormControl';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import FormLabel from '@material-ui/core/FormLabel';
import Radio from '@material-ui/core/Radio';
import RadioGroup from '@material-ui/core/RadioGroup';
import TextField from '@material-ui/core/TextField';
import PanToolIcon from '@material-ui/icons/PanTool';
import Alert from '@material-ui/lab/Alert';
import { useState } from 'react';
import { kargoApiRef } from '../../api';
import { useKargoBasicPermission } from '../../hooks/useKargoPermission';
import { errorMessage } from '../KargoActions';

/** The scope value of "every Kargo instance" (an instance is named otherwise). */
const ALL = '';

/**
 * "Stop the line", for users holding kargo.line.stop only: freezes every stage of every project,
 * on every Kargo instance or on the entity's, until someone ends it.
 */
export function StopTheLineButton(props: {
  /** The Kargo instances of the entity's projects, offered as scopes. */
  instances: string[];
  /** Refetch the view once the freeze started. */
  onChange(): void;
}) {
  const { instances, onChange } = props;
  const { allowed } = useKargoBasicPermission(kargoLineStopPermission);
  const kargoApi = useApi(kargoApiRef);
  const alertApi = useApi(alertApiRef);
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [scope, setScope] = useState(ALL);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  if (!allowed) return null;

  const close = () => {
    setOpen(false);
    setError(undefined);
  };
  const start = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await kargoApi.startLineStop({
        reason: reason.trim(),
        ...(scope ? { instance: scope } : {}),
      });
      alertApi.post({
        message: `The line is stopped${scope ? ` on ${scope}` : ''}`,
        severity: 'success',
        display: 'transient',
      });
      setReason('');
      close();
      onChange();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Button
        size="small"
        variant="outlined"
        color="secondary"
        startIcon={<PanToolIcon />}
        onClick={() => setOpen(true)}
      >
        Stop the line
      </Button>
      <Dialog
        open={open}
        onClose={close}
        fullWidth
        maxWidth="sm"
        aria-labelledby="kargo-stop-the-line-title"
      >
        <DialogTitle id="kargo-stop-the-line-title">Stop the line</DialogTitle>
        <DialogContent>
          <DialogContentText>
            Every stage of every project is frozen and auto-promotion held until
            the line is started again. Only promotions overriding the freeze
            (kargo.freeze.override) get through.
          </DialogContentText>
          <TextField
            id="kargo-stop-the-line-reason"
            label="Reason"
            required
            fullWidth
            value={reason}
            onChange={e => setReason(e.target.value)}
          />
          <FormControl component="fieldset" margin="normal">
            <FormLabel component="legend">Stop</FormLabel>
            <RadioGroup value={scope} onChange={e => setScope(e.target.value)}>
              <FormControlLabel
                value={ALL}
                control={<Radio />}
                label="All Kargo instances"
              />
              {instances.map(i => (
                <FormControlLabel
                  key={i}
                  value={i}
                  control={<Radio />}
                  label={`This entity's instance (${i})`}
                />
              ))}
            </RadioGroup>
          </FormControl>
          {error && (
            <Alert severity="error">The line was not stopped: {error}</Alert>
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={close}>Cancel</Button>
          <Button
            color="secondary"
            variant="contained"
            disabled={busy || !reason.trim()}
            onClick={start}
          >
            {busy ? 'Stopping…' : 'Stop the line'}
          </Button>
        </DialogActions>
      </Dialog>
    </>
  );
}
