export { ProjectSettingsDialog } from './ProjectSettingsDialog';
export type { ProjectSettingsDialogProps } from './ProjectSettingsDialog';
