import type {
  ProjectConfig,
  PromotionPolicy,
  Stage,
} from '@kargo-backstage/plugin-kargo-common';

/*
 * The simulator's own port of how Kargo v1.11.2 picks a Stage's promotion policy
 * (pkg/api/auto_promotion.go findMatchingPromotionPolicy, pkg/pattern/matcher.go, and
 * Kubernetes' metav1.LabelSelectorAsSelector), apart from the plugin's copy.
 */

type Matcher = (name: string) => boolean;

/** Go's leading `(?flags)` has no JavaScript equivalent: turn it into RegExp flags. */
function goRegexp(pattern: string): RegExp {
  const flags = pattern.match(/^\(\?([imsU]+)\)/);
  const js = flags ? [...flags[1]].filter(f => f !== 'U').join('') : '';
  return new RegExp(flags ? pattern.slice(flags[0].length) : pattern, js);
}

const escapeRegExp = (c: string) => c.replace(/[\\^$.|?*+()[\]{}/-]/g, '\\$&');

/**
 * doublestar.Match for a name (no `/`): `*` and `?` within a path segment, `[...]` classes
 * (`!` or `^` negate), `{a,b}` alternatives, `\` escapes; an unclosed `[` or `{` is invalid.
 */
function globRegExp(glob: string): RegExp {
  let out = '';
  let braces = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '\\') {
      if (++i >= glob.length) throw new Error('syntax error in pattern');
      out += escapeRegExp(glob[i]);
    } else if (c === '*') {
      while (glob[i + 1] === '*') i++;
      out += '[^/]*';
    } else if (c === '?') {
      out += '[^/]';
    } else if (c === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end < 0) throw new Error('syntax error in pattern');
      let body = glob.slice(i + 1, end);
      const negated = body[0] === '!' || body[0] === '^';
      if (negated) body = body.slice(1);
      out += `[${negated ? '^/' : ''}${body.replace(/[\\\]^]/g, '\\$&')}]`;
      i = end;
    } else if (c === '{') {
      braces++;
      out += '(?:';
    } else if (c === ',' && braces) {
      out += '|';
    } else if (c === '}' && braces) {
      braces--;
      out += ')';
    } else {
      out += escapeRegExp(c);
    }
  }
  if (braces) throw new Error('syntax error in pattern');
  return new RegExp(`^(?:${out})$`);
}

/** pattern.ParseNamePattern: `glob:`, `regex:` / `regexp:` (unanchored, MatchString), else exact. */
export function parseNamePattern(pattern: string): Matcher {
  if (pattern.startsWith('glob:')) {
    const re = globRegExp(pattern.slice('glob:'.length));
    return name => re.test(name);
  }
  const regex = ['regex:', 'regexp:'].find(p => pattern.startsWith(p));
  if (regex) {
    const re = goRegexp(pattern.slice(regex.length));
    return name => re.test(name);
  }
  return name => name === pattern;
}

interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{
    key?: string;
    operator?: string;
    values?: string[];
  }>;
}

const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** validation.IsQualifiedName, as labels.NewRequirement checks a key. */
function checkKey(key: string) {
  const parts = key.split('/');
  const name = parts[parts.length - 1];
  const prefixOk =
    parts.length === 1 ||
    (parts.length === 2 &&
      parts[0].length <= 253 &&
      DNS_SUBDOMAIN.test(parts[0]));
  if (!prefixOk || name.length > 63 || !LABEL_NAME.test(name)) {
    throw new Error(`invalid label key "${key}"`);
  }
}

function checkValue(value: string) {
  if (value.length > 63 || (value !== '' && !LABEL_NAME.test(value))) {
    throw new Error(`invalid label value: "${value}"`);
  }
}

/**
 * metav1.LabelSelectorAsSelector(...).Matches: matchLabels and matchExpressions ANDed; an empty
 * selector matches everything. Throws where Kubernetes refuses the selector.
 */
export function selectsLabels(
  selector: LabelSelector,
  labels: Record<string, string> = {},
): boolean {
  const has = (k: string) => Object.hasOwn(labels, k);
  const requirements: Array<() => boolean> = [];
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) {
    checkKey(k);
    checkValue(v);
    requirements.push(() => has(k) && labels[k] === v);
  }
  for (const { key = '', operator, values = [] } of selector.matchExpressions ??
    []) {
    checkKey(key);
    values.forEach(checkValue);
    switch (operator) {
      case 'In':
      case 'NotIn':
        if (!values.length) {
          throw new Error(
            "for 'in', 'notin' operators, values set can't be empty",
          );
        }
        requirements.push(
          operator === 'In'
            ? () => has(key) && values.includes(labels[key])
            : () => !has(key) || !values.includes(labels[key]),
        );
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length) {
          throw new Error(
            'values set must be empty for exists and does not exist',
          );
        }
        requirements.push(
          operator === 'Exists' ? () => has(key) : () => !has(key),
        );
        break;
      default:
        throw new Error(`"${operator}" is not a valid label selector operator`);
    }
  }
  return requirements.every(r => r());
}

/**
 * findMatchingPromotionPolicy: the first policy whose selector picks the stage. `stageSelector`
 * wins over the deprecated `stage` (which only stands in when there is no selector); the name
 * pattern and the labels are ANDed, and what is left out matches every stage. A pattern or
 * selector Kargo cannot parse fails the whole lookup (throws), as in Kargo.
 */
export function findMatchingPromotionPolicy(
  config: ProjectConfig | undefined,
  stage: Stage,
): PromotionPolicy | undefined {
  for (const policy of config?.spec?.promotionPolicies ?? []) {
    const selector = policy.stageSelector ?? { name: policy.stage };
    if (
      selector.name &&
      !parseNamePattern(selector.name)(stage.metadata!.name!)
    )
      continue;
    if (
      (selector.matchLabels || selector.matchExpressions) &&
      !selectsLabels(selector, stage.metadata?.labels)
    ) {
      continue;
    }
    return policy;
  }
  return undefined;
}

/** IsAutoPromotionEnabled (pkg/api/auto_promotion.go). Throws when the lookup fails. */
export const isAutoPromotionEnabled = (
  config: ProjectConfig | undefined,
  stage: Stage,
) => Boolean(findMatchingPromotionPolicy(config, stage)?.autoPromotionEnabled);
