/** The only URL schemes the Kargo plugin renders as links; any other URL is shown as text. */
const LINK_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);

/**
 * The href for a URL that Kargo, people or enrichers provide, or `undefined` when it must be
 * shown as plain text instead. Only absolute `http:`, `https:` and `mailto:` URLs pass, as the
 * browser's own URL parser reads them (which is also what drops the tabs and newlines of
 * `java\tscript:` and ignores case); relative URLs, other schemes (`javascript:`, `data:`,
 * `vbscript:`, `irc:`, …) and anything that does not parse do not.
 *
 * Returns the parsed URL, so the link points exactly at what was checked (and a scheme in
 * upper case is not taken for an app route by core-components' `Link`).
 */
export function safeHref(url: unknown): string | undefined {
  if (typeof url !== 'string') return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  return LINK_PROTOCOLS.has(parsed.protocol) ? parsed.href : undefined;
}

/**
 * `transformLinkUri` for core-components' `MarkdownContent`: an unsafe link gets an empty href,
 * which its link renderer shows as the link's text (react-markdown's own transform would turn
 * it into `javascript:void(0)`, which `Link` refuses by throwing).
 */
export function markdownLinkUri(href: string): string {
  return safeHref(href) ?? '';
}
