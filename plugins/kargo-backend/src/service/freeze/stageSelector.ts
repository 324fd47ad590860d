import { RE2JS } from 're2js';

/**
 * Kargo's stage selectors (`PromotionPolicySelector`, used by promotion policies and promotion
 * windows), matched as Kargo matches them (`pkg/pattern/matcher.go`, `pkg/api/auto_promotion.go`):
 *
 * - `name`: `glob:` a doublestar glob of the whole name; `regex:` or `regexp:` a Go (RE2)
 *   regular expression found anywhere in the name (`MatchString`, not anchored: write `^…$`);
 *   anything else the exact name. Kargo's admission webhook refuses any other `prefix:`.
 * - `matchLabels` / `matchExpressions`: a Kubernetes label selector, ANDed with the name.
 *
 * Regular expressions run on RE2 (re2js): Go's syntax (`(?i)`, `(?P<n>…)`, no backreferences or
 * lookaround) and time linear in the name, so a hostile pattern cannot stall the event loop.
 * This is the one place the backend matches a stage selector or checks an RE2 pattern.
 */

/** A Kubernetes label selector requirement (`matchExpressions[]`). */
export interface LabelSelectorRequirement {
  key?: string;
  operator?: string;
  values?: string[];
}

/** A stage selector as Kargo stores it: a promotion window's, or a promotion policy's. */
export interface StageSelector {
  name?: string;
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

export interface StageRef {
  name: string;
  labels?: Record<string, string>;
}

/** A selector Kargo would refuse (or fail on): the problems name the field. */
export class InvalidStageSelectorError extends Error {
  name = 'InvalidStageSelectorError';
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
  }
}

type NameMatcher = (name: string) => boolean;

/**
 * A compiled name pattern and what Kargo's webhook would refuse in it. Kargo's matcher
 * (pattern.ParseNamePattern) takes an unknown `prefix:` as an exact name, which the webhook
 * refuses: `match` without `problem` is what Kargo can match, `problem` what it refuses.
 */
interface CompiledName {
  match?: NameMatcher;
  problem?: string;
}

/** Compiled name patterns (or why not); stage selectors are few, their names reused often. */
const compiled = new Map<string, CompiledName>();
const MAX_COMPILED = 1000;

function compileRe2(pattern: string): RE2JS {
  return RE2JS.compile(pattern);
}

/**
 * Why a Go (RE2) regular expression does not compile, or undefined when it does. For every
 * setting that Kargo evaluates as a Go regexp (stage selectors, image tag filters, credentials'
 * repository URL patterns): JavaScript's RegExp accepts some patterns Go refuses (`\1`,
 * lookaround) and refuses some Go accepts (`(?i)prod`).
 */
export function validRe2(pattern: string): string | undefined {
  try {
    compileRe2(pattern);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

const quoteRe2 = (c: string) => (/[\\^$.|?*+()[\]{}]/.test(c) ? `\\${c}` : c);
const quoteInClass = (c: string) => (/[\\\]^[-]/.test(c) ? `\\${c}` : c);

/**
 * A doublestar glob (Kargo's `glob:`) as an anchored RE2 pattern: `*` and `?` do not cross `/`
 * (stage names have none), `[abc]`, `[a-z]`, `[!…]`/`[^…]`, `{a,b}` (nestable), `\` escapes.
 */
export function globToRe2(glob: string): string {
  const chars = Array.from(glob);
  let out = '';
  let braces = 0;
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    if (c === '\\') {
      if (i + 1 >= chars.length) throw new Error('syntax error in pattern');
      out += quoteRe2(chars[++i]);
    } else if (c === '*') {
      while (chars[i + 1] === '*') i++;
      out += '[^/]*';
    } else if (c === '?') {
      out += '[^/]';
    } else if (c === '[') {
      let j = i + 1;
      let negated = false;
      if (chars[j] === '!' || chars[j] === '^') {
        negated = true;
        j++;
      }
      let items = '';
      let count = 0;
      for (; j < chars.length && chars[j] !== ']'; j++) {
        let lo = chars[j];
        if (lo === '\\') {
          if (++j >= chars.length) throw new Error('syntax error in pattern');
          lo = chars[j];
        }
        if (
          chars[j + 1] === '-' &&
          j + 2 < chars.length &&
          chars[j + 2] !== ']'
        ) {
          j += 2;
          let hi = chars[j];
          if (hi === '\\') {
            if (++j >= chars.length) throw new Error('syntax error in pattern');
            hi = chars[j];
          }
          if (hi.codePointAt(0)! < lo.codePointAt(0)!) {
            throw new Error('syntax error in pattern');
          }
          items += `${quoteInClass(lo)}-${quoteInClass(hi)}`;
        } else {
          items += quoteInClass(lo);
        }
        count++;
      }
      if (j >= chars.length || count === 0) {
        throw new Error('syntax error in pattern');
      }
      out += negated ? `[^/${items}]` : `[${items}]`;
      i = j;
    } else if (c === '{') {
      braces++;
      out += '(?:';
    } else if (c === ',' && braces > 0) {
      out += '|';
    } else if (c === '}' && braces > 0) {
      braces--;
      out += ')';
    } else {
      out += quoteRe2(c);
    }
  }
  if (braces > 0) throw new Error('syntax error in pattern');
  return `^(?:${out})$`;
}

function nameMatcher(pattern: string): CompiledName {
  const known = compiled.get(pattern);
  if (known) return known;
  let result: CompiledName;
  try {
    const colon = pattern.indexOf(':');
    const prefix = colon < 0 ? undefined : pattern.slice(0, colon);
    const rest = pattern.slice(colon + 1);
    if (prefix === 'regex' || prefix === 'regexp') {
      const re = compileRe2(rest);
      result = { match: name => re.test(name) };
    } else if (prefix === 'glob') {
      const re = compileRe2(globToRe2(rest));
      result = { match: name => re.test(name) };
    } else if (prefix !== undefined) {
      // Kargo's webhook: a name with a colon must be a pattern.
      result = {
        match: name => name === pattern,
        problem: `invalid pattern identifier "${prefix}": must be "regex", "regexp" or "glob"`,
      };
    } else {
      result = { match: name => name === pattern };
    }
  } catch (error) {
    result = { problem: (error as Error).message };
  }
  if (compiled.size >= MAX_COMPILED) {
    compiled.delete(compiled.keys().next().value!);
  }
  compiled.set(pattern, result);
  return result;
}

const OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Kubernetes' label key rule (validation.IsQualifiedName), checked by LabelSelectorAsSelector. */
function validLabelKey(key: string): boolean {
  const parts = key.split('/');
  const name = parts[parts.length - 1];
  const prefixOk =
    parts.length === 1 ||
    (parts.length === 2 &&
      parts[0].length <= 253 &&
      DNS_SUBDOMAIN.test(parts[0]));
  return prefixOk && name.length <= 63 && LABEL_NAME.test(name);
}

/** Kubernetes' label value rule (validation.IsValidLabelValue). */
const validLabelValue = (value: string) =>
  value.length <= 63 && (value === '' || LABEL_NAME.test(value));

/** What metav1.LabelSelectorAsSelector refuses in the selector's label part. */
function labelProblems(selector: StageSelector, field: string): string[] {
  const problems: string[] = [];
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) {
    if (!validLabelKey(k)) {
      problems.push(`${field}.matchLabels: "${k}" is not a valid label key`);
    } else if (!validLabelValue(v)) {
      problems.push(
        `${field}.matchLabels.${k}: "${v}" is not a valid label value`,
      );
    }
  }
  (selector.matchExpressions ?? []).forEach((r, i) => {
    const at = `${field}.matchExpressions[${i}]`;
    if (!r?.key) problems.push(`${at}.key: must be set`);
    else if (!validLabelKey(r.key)) {
      problems.push(`${at}.key: "${r.key}" is not a valid label key`);
    }
    (r?.values ?? []).forEach(v => {
      if (!validLabelValue(v)) {
        problems.push(`${at}.values: "${v}" is not a valid label value`);
      }
    });
    if (!OPERATORS.includes(r?.operator ?? '')) {
      problems.push(
        `${at}.operator: "${r?.operator}" is not a valid label selector operator`,
      );
    } else if (
      (r.operator === 'In' || r.operator === 'NotIn') &&
      !r.values?.length
    ) {
      problems.push(`${at}.values: must be specified for ${r.operator}`);
    } else if (
      (r.operator === 'Exists' || r.operator === 'DoesNotExist') &&
      r.values?.length
    ) {
      problems.push(`${at}.values: may not be specified for ${r.operator}`);
    }
  });
  return problems;
}

/** What Kargo would refuse in a selector, each problem naming its field (`stageSelector.name: …`). */
export function stageSelectorProblems(
  selector: StageSelector | undefined,
  field = 'stageSelector',
): string[] {
  if (!selector) return [];
  const problems: string[] = [];
  if (selector.name) {
    const { problem } = nameMatcher(selector.name);
    if (problem) problems.push(`${field}.name: ${problem}`);
  }
  problems.push(...labelProblems(selector, field));
  return problems;
}

/** Whether the labels satisfy the selector's label part (matchLabels and matchExpressions). */
export function selectsLabels(
  selector: StageSelector | undefined,
  labels: Record<string, string> | undefined,
): boolean {
  if (!selector) return true;
  const has = (k: string) => labels !== undefined && Object.hasOwn(labels, k);
  return (
    Object.entries(selector.matchLabels ?? {}).every(
      ([k, v]) => has(k) && labels![k] === v,
    ) &&
    (selector.matchExpressions ?? []).every(
      ({ key = '', operator, values }) => {
        switch (operator) {
          case 'In':
            return has(key) && (values ?? []).includes(labels![key]);
          case 'NotIn':
            return !has(key) || !(values ?? []).includes(labels![key]);
          case 'Exists':
            return has(key);
          case 'DoesNotExist':
            return !has(key);
          default:
            return false;
        }
      },
    )
  );
}

/**
 * Whether Kargo's selector picks the stage: its name pattern and its labels, ANDed; no selector
 * picks every stage. A selector Kargo would refuse throws {@link InvalidStageSelectorError}.
 */
export function selectsStage(
  selector: StageSelector | undefined,
  stage: StageRef,
): boolean {
  if (!selector) return true;
  if (selector.name) {
    const { match } = nameMatcher(selector.name);
    if (!match) {
      throw new InvalidStageSelectorError(stageSelectorProblems(selector));
    }
    if (!match(stage.name)) return false;
  }
  // Kargo parses the label part only once the name matched.
  const problems = labelProblems(selector, 'stageSelector');
  if (problems.length) throw new InvalidStageSelectorError(problems);
  return selectsLabels(selector, stage.labels);
}
