/* eslint-disable no-script-url -- hostile URLs are what these tests feed in */
import { markdownLinkUri, safeHref } from './safeHref';

describe('safeHref', () => {
  it('passes absolute http, https and mailto URLs, normalized', () => {
    expect(safeHref('https://github.com/example/shop/pull/42')).toBe(
      'https://github.com/example/shop/pull/42',
    );
    expect(safeHref('http://example.com')).toBe('http://example.com/');
    expect(safeHref('HTTPS://Example.COM/a')).toBe('https://example.com/a');
    expect(safeHref('mailto:dana@example.com')).toBe('mailto:dana@example.com');
  });

  it.each([
    ['an irc: URL', 'irc://irc.example.com/releases'],
    ['a javascript: URL', 'javascript:alert(1)'],
    ['an upper-case javascript: URL', 'JAVASCRIPT:alert(1)'],
    ['a tab inside javascript:', 'java\tscript:alert(1)'],
    ['a newline inside javascript:', 'java\nscript:alert(1)'],
    ['a carriage return inside javascript:', 'java\rscript:alert(1)'],
    [
      'leading spaces and control characters',
      ' \u0000\u001f javascript:alert(1)',
    ],
    ['a javascript: URL mentioning https:', 'javascript:alert("https://x")'],
    ['javascript:void(0)', 'javascript:void(0)'],
    ['a data: URL', 'data:text/html,<script>alert(1)</script>'],
    ['a vbscript: URL', 'vbscript:msgbox(1)'],
    ['a file: URL', 'file:///etc/passwd'],
    ['a tel: URL', 'tel:+123'],
    ['a relative path', '/catalog/default/component/x'],
    ['a path without slash', 'settings'],
    ['a fragment', '#top'],
    ['a protocol-relative URL', '//evil.example.com/x'],
    ['an empty string', ''],
    ['a scheme without host', 'https://'],
  ])('rejects %s', (_, url) => {
    expect(safeHref(url)).toBeUndefined();
  });

  it('rejects what is not a string', () => {
    expect(safeHref(undefined)).toBeUndefined();
    expect(safeHref(null)).toBeUndefined();
    expect(safeHref(42)).toBeUndefined();
    expect(
      safeHref({ toString: () => 'https://x.example.com' }),
    ).toBeUndefined();
  });

  it('turns unsafe markdown links into an empty href, which renders as text', () => {
    expect(markdownLinkUri('irc://irc.example.com/releases')).toBe('');
    expect(markdownLinkUri('javascript:void(0)')).toBe('');
    expect(markdownLinkUri('https://example.com/a')).toBe(
      'https://example.com/a',
    );
  });
});
