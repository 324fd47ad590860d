export { SafeLink } from './SafeLink';
export type { SafeLinkProps } from './SafeLink';
export { markdownLinkUri, safeHref } from './safeHref';
