export interface Config {
  /** The example Kargo permission policy of this portal (src/kargoPermissionPolicy.ts). */
  kargoPolicy?: {
    /** Members of these groups may do everything in Kargo, in every stage. */
    releaseGroups?: string[];
    /** Stage names (`*` wildcards) only the release groups may act on. */
    protectedStages?: string[];
  };
  scaffolder?: {
    /** Where publish:local puts repositories (embedded default; relative to packages/backend). */
    localPublish?: {
      directory?: string;
    };
  };
}
