import type { KargoProjectSettings } from '@kargo-backstage/plugin-kargo-common';
import type { KargoProjectRef } from '../../api';

/** What each settings section gets: the settings as read, and how to read them again. */
export interface SectionProps {
  settings: KargoProjectSettings;
  projectRef: KargoProjectRef;
  /** The project as a permission resource (kargo.project.manage). */
  resourceRef: string;
  reload(): void;
}
