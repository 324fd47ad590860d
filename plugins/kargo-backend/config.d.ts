export interface Config {
  /** Configuration of the Kargo plugins. */
  kargo?: {
    /** Kargo watch streams, held by one backend replica per project at a time. */
    watch?: {
      /**
       * Seconds a replica's lease on a project's watches lasts without renewal (default 10):
       * when a replica dies, another takes its watches over within about this long. At least 1.
       */
      leaseSeconds?: number;
      /**
       * Seconds between listings of freight on a Kargo before v1.11, which has no freight
       * watch (default 30).
       */
      pollSeconds?: number;
    };
    /**
     * The OIDC claim in which your identity provider names a user's groups, as Kargo matches
     * it: project settings grant roles to portal groups through it (default `groups`).
     */
    groupsClaim?: string;
    /** Approval policies (needs the approval gate module). */
    approvals?: {
      /**
       * Policies created at start where the project has none of that name (an edit in the
       * portal holds until the next start).
       */
      policies?: Array<{
        /** Default: the first instance. */
        instance?: string;
        project: string;
        name: string;
        stageSelector?: { name?: string; matchLabels?: Record<string, string> };
        approvals: number;
        /** Group entity refs; a bare name is a group of the default namespace. */
        groups: string[];
        /** A Go duration: approvals older than this no longer count. */
        expiresAfter?: string;
      }>;
    };
    /** Notifications through Backstage's notifications plugin. */
    notifications?: {
      /**
       * Stage name patterns (exact, `glob:prod*`, `regex:…`) whose successful promotions notify
       * the owners of the entities that show the project. None by default.
       */
      productionStages?: string[];
    };
    /**
     * The Kargo API servers the portal talks to. Entities pick one with the
     * `kargo.akuity.io/instance` annotation; the first is the default.
     */
    instances: Array<{
      /** Name used by the `kargo.akuity.io/instance` annotation. */
      name: string;
      /** Base URL of the Kargo API server, e.g. https://kargo.example.com */
      url: string;
      /**
       * Bearer token the backend sends to Kargo (a Kargo API token bound to a role).
       * @visibility secret
       */
      token?: string;
      /**
       * Base URL of the Kargo UI for deep links; defaults to `url`.
       * @visibility frontend
       */
      uiUrl?: string;
      /** Timeout of one Kargo API call in milliseconds (default 10000). */
      timeoutMs?: number;
      /**
       * Act in Kargo as the user: mutations (promote, approve, abort, refresh, re-verify,
       * alias) send the user's own Kargo-accepted token, which the frontend passes in the
       * `x-kargo-token` header, instead of `token`. Reads keep using `token`. Default false.
       */
      forwardUserToken?: boolean;
    }>;
  };
}
