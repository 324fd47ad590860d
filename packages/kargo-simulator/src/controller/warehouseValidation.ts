import semver from 'semver';

/**
 * What Kargo's Warehouse CRD schema and validating webhook reject, as `field: problem`
 * messages: exactly one of image, git or chart per subscription, a valid interval, semver
 * constraints that parse, regular expressions that compile, known strategies and policies.
 */
export function warehouseProblems(spec: any): string[] {
  const problems: string[] = [];
  const at = (field: string, problem: string) =>
    problems.push(`spec.${field}: ${problem}`);
  if (
    spec?.interval !== undefined &&
    !/^([0-9]+(\.[0-9]+)?(s|m|h))+$/.test(String(spec.interval))
  ) {
    at(
      'interval',
      `Invalid value: "${spec.interval}": must be a duration like 5m0s`,
    );
  }
  if (
    spec?.freightCreationPolicy !== undefined &&
    !['Automatic', 'Manual'].includes(spec.freightCreationPolicy)
  ) {
    at(
      'freightCreationPolicy',
      `Unsupported value: "${spec.freightCreationPolicy}": supported values: "Automatic", "Manual"`,
    );
  }
  const subscriptions = spec?.subscriptions;
  if (!Array.isArray(subscriptions) || subscriptions.length === 0) {
    at('subscriptions', 'Required value: at least one subscription');
    return problems;
  }
  subscriptions.forEach((sub: any, i: number) => {
    const field = (name: string) => `subscriptions[${i}].${name}`;
    const kinds = ['image', 'git', 'chart'].filter(k => sub?.[k]);
    if (kinds.length !== 1) {
      at(
        `subscriptions[${i}]`,
        'exactly one of image, git or chart is required',
      );
      return;
    }
    const [kind] = kinds;
    const s = sub[kind];
    if (!s.repoURL) at(field(`${kind}.repoURL`), 'Required value');
    const range = (name: string) => {
      if (s[name] !== undefined && semver.validRange(s[name]) === null) {
        at(
          field(`${kind}.${name}`),
          `Invalid value: "${s[name]}": invalid semver constraint`,
        );
      }
    };
    const regexes = (name: string) => {
      for (const r of [s[name]].flat().filter(x => x !== undefined)) {
        try {
          RegExp(r);
        } catch {
          at(
            field(`${kind}.${name}`),
            `Invalid value: "${r}": invalid regular expression`,
          );
        }
      }
    };
    if (
      s.discoveryLimit !== undefined &&
      !(
        Number.isInteger(s.discoveryLimit) &&
        s.discoveryLimit >= 1 &&
        s.discoveryLimit <= 100
      )
    ) {
      at(field(`${kind}.discoveryLimit`), 'must be between 1 and 100');
    }
    if (kind === 'image') {
      range('constraint');
      regexes('allowTags');
      regexes('allowTagsRegexes');
      regexes('ignoreTagsRegexes');
      const strategies = ['SemVer', 'Lexical', 'Digest', 'NewestBuild'];
      if (
        s.imageSelectionStrategy &&
        !strategies.includes(s.imageSelectionStrategy)
      ) {
        at(
          field('image.imageSelectionStrategy'),
          `Unsupported value: "${s.imageSelectionStrategy}"`,
        );
      }
    } else if (kind === 'git') {
      range('semverConstraint');
      regexes('allowTags');
      const strategies = ['NewestFromBranch', 'SemVer', 'Lexical', 'NewestTag'];
      if (
        s.commitSelectionStrategy &&
        !strategies.includes(s.commitSelectionStrategy)
      ) {
        at(
          field('git.commitSelectionStrategy'),
          `Unsupported value: "${s.commitSelectionStrategy}"`,
        );
      }
      if (
        s.branch !== undefined &&
        !/^[a-zA-Z0-9]([a-zA-Z0-9._\/-]*[a-zA-Z0-9_-])?$/.test(s.branch)
      ) {
        at(field('git.branch'), `Invalid value: "${s.branch}"`);
      }
    } else {
      range('semverConstraint');
    }
  });
  return problems;
}
