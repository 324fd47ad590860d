import { Link, LinkProps } from '@backstage/core-components';
import { safeHref } from './safeHref';

export type SafeLinkProps = Omit<LinkProps, 'to'> & {
  /** Any URL; only absolute http(s) and mailto URLs become a link. */
  to?: string;
};

/**
 * core-components' `Link` for an http(s) or mailto URL, and plain text for anything else, so a
 * URL from Kargo, a note or an enricher can neither become a script link nor make `Link` throw.
 */
export function SafeLink(props: SafeLinkProps) {
  const { to, children, ...rest } = props;
  const href = safeHref(to);
  if (!href) return <span>{children ?? to}</span>;
  return (
    <Link {...rest} to={href}>
      {children}
    </Link>
  );
}
