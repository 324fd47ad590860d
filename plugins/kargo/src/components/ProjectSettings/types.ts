import {
  kargoProjectManagePermission,
  KargoProjectSettings,
} from '@kargo-backstage/plugin-kargo-common';
import type { KargoProjectRef } from '../../api';

/** What each settings section gets: the settings as read, and how to read them again. */
export interface SectionProps {
  settings: KargoProjectSettings;
  projectRef: KargoProjectRef;
  /** The project as a permission resource (kargo.project.manage). */
  resourceRef: string;
  reload(): void;
}

/** What a settings change needs: kargo.project.manage on the project (spread onto a KargoActionButton). */
export const manageProject = (props: SectionProps) => ({
  permission: kargoProjectManagePermission,
  resourceRefs: [props.resourceRef],
});
