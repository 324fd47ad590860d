export interface Config {
  kargo?: {
    gates?: {
      /** The "do not promote" verdict gate. */
      verdict?: {
        /** `confirm` (default): promoting needs a confirmation; `deny`: it is refused. */
        mode?: 'confirm' | 'deny';
      };
    };
  };
}
