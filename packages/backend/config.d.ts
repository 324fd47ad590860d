export interface Config {
  /** The example Kargo permission policy of this portal (src/kargoPermissionPolicy.ts). */
  kargoPolicy?: {
    /** Members of these groups may do everything in Kargo, in every stage. */
    releaseGroups?: string[];
    /** Stage names (`*` wildcards) only the release groups may act on. */
    protectedStages?: string[];
  };
  /**
   * The embedded default's demo (app-config.demo.yaml only): the developer sign-in,
   * publish:local / catalog:register:local and `file` catalog locations.
   */
  demo?: {
    /**
     * Turns the demo's backend modules on; never in production.
     * @visibility frontend
     */
    enabled?: boolean;
    localFiles?: {
      /** Folders (relative to packages/backend) whose files `file` locations may read. */
      roots?: string[];
    };
  };
  scaffolder?: {
    /** Where publish:local puts repositories (embedded default; relative to packages/backend). */
    localPublish?: {
      directory?: string;
    };
  };
}
