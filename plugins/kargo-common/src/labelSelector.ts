/**
 * Whether labels match a Kubernetes label selector in its string form, equality-based terms
 * only: `a=b`, `a==b`, `a!=b`, `a` (exists), `!a` (absent), joined by commas. The empty
 * selector matches everything.
 *
 * @public
 */
export function matchesLabelSelector(
  labels: Record<string, string> | undefined,
  selector: string,
): boolean {
  return selector
    .split(',')
    .map(term => term.trim())
    .filter(Boolean)
    .every(term => {
      const notEqual = term.match(/^([^!=]+)!=(.*)$/);
      if (notEqual) return labels?.[notEqual[1].trim()] !== notEqual[2].trim();
      const equal = term.match(/^([^!=]+)==?(.*)$/);
      if (equal) return labels?.[equal[1].trim()] === equal[2].trim();
      if (term.startsWith('!')) return labels?.[term.slice(1)] === undefined;
      return labels?.[term] !== undefined;
    });
}
