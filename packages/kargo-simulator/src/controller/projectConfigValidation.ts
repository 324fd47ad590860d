import type { PromotionPolicy } from '@kargo-backstage/plugin-kargo-common';
import { HttpError } from '../http/HttpError';
import { parseNamePattern } from './promotionPolicies';

/** Kubernetes' field.ErrorList message: one error as is, several in brackets. */
const invalid = (name: string, errors: string[], prefix = '') =>
  new HttpError(
    422,
    `${prefix}ProjectConfig.kargo.akuity.io "${name}" is invalid: ${
      errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`
    }`,
  );

/**
 * What Kargo v1.11.2 refuses in a ProjectConfig's promotion policies, in the order the
 * Kubernetes API checks: the CRD's rule that a policy has exactly one of `stage` and
 * `stageSelector` (api/v1alpha1/project_config_types.go), then the admission webhook
 * (pkg/webhook/kubernetes/projectconfig/webhook.go): the name is the project's, a name with a
 * `prefix:` is a valid glob/regex pattern, and an exact stage name appears once.
 */
export function checkProjectConfig(config: {
  metadata?: { name?: string; namespace?: string };
  spec?: unknown;
}): void {
  const name = config.metadata?.name ?? '';
  const policies =
    (config.spec as { promotionPolicies?: PromotionPolicy[] } | undefined)
      ?.promotionPolicies ?? [];
  const field = (i: number) => `spec.promotionPolicies[${i}]`;
  const both = policies.flatMap((p, i) =>
    (p.stage !== undefined) === (p.stageSelector !== undefined)
      ? [
          `${field(
            i,
          )}: Invalid value: "object": PromotionPolicy must have exactly one of stage or stageSelector set`,
        ]
      : [],
  );
  if (both.length) throw invalid(name, both);

  const errors: string[] = [];
  if (name !== config.metadata?.namespace) {
    errors.push(
      `metadata.name: Invalid value: "${name}": name "${name}" must match project name "${config.metadata?.namespace}"`,
    );
  }
  const exact = new Map<string, number>();
  policies.forEach((p, i) => {
    const stage = p.stageSelector ? p.stageSelector.name : p.stage;
    if (!stage) return;
    const colon = stage.indexOf(':');
    if (colon >= 0) {
      const at = `${field(i)}.stageSelector.name: Invalid value: "${stage}"`;
      const prefix = stage.slice(0, colon);
      if (!['glob', 'regex', 'regexp'].includes(prefix)) {
        errors.push(
          `${at}: invalid pattern identifier "${prefix}": must be "regex", "regexp" or "glob"`,
        );
        return;
      }
      try {
        parseNamePattern(stage);
      } catch (error) {
        errors.push(`${at}: ${(error as Error).message}`);
      }
      return;
    }
    const first = exact.get(stage);
    if (first === undefined) exact.set(stage, i);
    else {
      errors.push(
        `${field(
          i,
        )}: Invalid value: "${stage}": stage name already defined at ${field(
          first,
        )}`,
      );
    }
  });
  if (errors.length) {
    throw invalid(
      name,
      errors,
      'admission webhook "projectconfig.kargo.akuity.io" denied the request: ',
    );
  }
}
