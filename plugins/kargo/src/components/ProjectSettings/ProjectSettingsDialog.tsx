import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  kargoProjectManagePermission,
  kargoProjectResourceRef,
} from '@kargo-backstage/plugin-kargo-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Alert from '@material-ui/lab/Alert';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { kargoApiRef, KargoProjectRef } from '../../api';
import { useKargoPermission } from '../../hooks/useKargoPermission';
import { ApprovalPoliciesSection } from './ApprovalPoliciesSection';
import { CredentialsSection } from './CredentialsSection';
import { PoliciesSection } from './PoliciesSection';
import { RolesSection } from './RolesSection';
import { WarehousesSection } from './WarehousesSection';

export interface ProjectSettingsDialogProps {
  open: boolean;
  project: KargoProjectRef;
  onClose(): void;
}

/**
 * A Kargo project's settings, managed from the portal: roles, promotion policies, approval
 * policies, warehouses and repository credentials. Without kargo.project.manage everything is shown read-only.
 */
export function ProjectSettingsDialog(props: ProjectSettingsDialogProps) {
  const { open, project, onClose } = props;
  const api = useApi(kargoApiRef);
  const resourceRef = kargoProjectResourceRef(
    project.instance,
    project.project,
  );
  const { allowed, loading: checking } = useKargoPermission(
    kargoProjectManagePermission,
    [resourceRef],
  );
  const { value, loading, error, retry } = useAsyncRetry(
    async () => (open ? api.getProjectSettings(project) : undefined),
    [api, project, open],
  );
  const sections = value && {
    settings: value,
    projectRef: project,
    resourceRef,
    reload: retry,
  };
  return (
    <Dialog
      open={open}
      onClose={onClose}
      fullWidth
      maxWidth="lg"
      aria-labelledby="kargo-settings-title"
    >
      <DialogTitle id="kargo-settings-title">
        Settings of Kargo project {project.project}
      </DialogTitle>
      <DialogContent dividers>
        {!checking && !allowed && (
          <Alert severity="info">
            Read-only: managing this project needs{' '}
            {kargoProjectManagePermission.name}.
          </Alert>
        )}
        {loading && !value && <Progress />}
        {error && <ResponseErrorPanel error={error} />}
        {sections && (
          <>
            <RolesSection {...sections} />
            <Box mt={3} />
            <PoliciesSection {...sections} />
            <Box mt={3} />
            <ApprovalPoliciesSection {...sections} />
            <Box mt={3} />
            <WarehousesSection {...sections} />
            <Box mt={3} />
            <CredentialsSection {...sections} />
          </>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Close</Button>
      </DialogActions>
    </Dialog>
  );
}
