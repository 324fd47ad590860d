/*
 * The labels and annotations of Kargo's API (api/v1alpha1/labels.go, annotations.go) through which
 * the API server asks the controllers for something: an alias, a refresh, a re-verification, an
 * abort; and who created a Promotion.
 */
export const ALIAS_LABEL = 'kargo.akuity.io/alias';
export const REFRESH_ANNOTATION = 'kargo.akuity.io/refresh';
export const REVERIFY_ANNOTATION = 'kargo.akuity.io/reverify';
export const ABORT_ANNOTATION = 'kargo.akuity.io/abort';
export const CREATE_ACTOR_ANNOTATION = 'kargo.akuity.io/create-actor';

/** The JSON value of Kargo's reverify/abort annotations: {"id","actor"} or {"action","actor"}. */
export function parseAnnotation(
  value: string | undefined,
): { id?: string; actor?: string; action?: string } | undefined {
  if (!value) return undefined;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}
