import type { Freight } from '@kargo-backstage/plugin-kargo-common';
import { changelog } from './changelogEnricher';
import { previousOf } from './FreightEnrichment';

const freight = (name: string, at: string, extra: Partial<Freight>): Freight =>
  ({
    metadata: { name, creationTimestamp: at },
    origin: { kind: 'Warehouse', name: 'guestbook' },
    ...extra,
  } as Freight);

const older = freight('a', '2026-11-01T00:00:00Z', {
  images: [{ repoURL: 'ghcr.io/example/guestbook', tag: '1.29.0' }],
  commits: [
    {
      repoURL: 'https://github.com/example/deploy.git',
      id: 'aaaaaaaaaaaaaaaa',
    },
  ],
  charts: [{ repoURL: 'oci://charts', name: 'guestbook', version: '0.1.0' }],
});
const newer = freight('b', '2026-11-02T00:00:00Z', {
  alias: 'wise-wombat',
  images: [{ repoURL: 'ghcr.io/example/guestbook', tag: '1.29.1' }],
  commits: [
    {
      repoURL: 'https://github.com/example/deploy.git',
      id: 'bbbbbbbbbbbbbbbb',
      message: 'Add readiness probe\n\nLonger text',
      author: 'Sam <sam@example.com>',
    },
  ],
  charts: [{ repoURL: 'oci://charts', name: 'guestbook', version: '0.1.0' }],
});

describe('changelog enricher', () => {
  it('lists what changed against the previous freight of the warehouse, with a compare link', () => {
    expect(previousOf(newer, [newer, older])).toBe(older);
    expect(changelog(newer, older)).toEqual({
      notes: [
        'Changes since a:',
        '',
        '- image `ghcr.io/example/guestbook`: 1.29.0 → 1.29.1',
        '- commit `https://github.com/example/deploy.git`: aaaaaaaaaaaa → bbbbbbbbbbbb — Add readiness probe (Sam \\<sam@example.com\\>)',
      ].join('\n'),
      links: [
        {
          title: 'Compare aaaaaaaaaaaa…bbbbbbbbbbbb',
          url: 'https://github.com/example/deploy/compare/aaaaaaaaaaaaaaaa...bbbbbbbbbbbbbbbb',
        },
      ],
      labels: { 'changed-artifacts': '2' },
    });
  });

  it('describes the first freight, and says nothing when nothing changed', () => {
    expect(changelog(older)?.notes).toMatch(/^First freight of this warehouse/);
    expect(changelog(older, older)).toBeUndefined();
    expect(previousOf(older, [newer, older])).toBeUndefined();
  });

  it('quotes commit subjects, authors and repository URLs, so they add no links or HTML', () => {
    const hostile = freight('c', '2026-11-03T00:00:00Z', {
      commits: [
        {
          repoURL: 'https://github.com/example/deploy.git`<a href="irc://x">',
          id: 'cccccccccccccccc',
          message:
            'Fix [the chat](irc://irc.example.com/releases) <a href="irc://irc.example.com/x">raw</a> &#106;s\r[x]: javascript:alert(1)',
          author: '[Eve](javascript:alert(1))',
        },
      ],
    });
    expect(changelog(hostile)?.notes).toBe(
      [
        'First freight of this warehouse:',
        '',
        '- commit ``https://github.com/example/deploy.git`<a href="irc://x">``: cccccccccccc — ' +
          'Fix \\[the chat\\](irc://irc.example.com/releases) \\<a href="irc://irc.example.com/x"\\>raw\\</a\\> \\&#106;s' +
          ' (\\[Eve\\](javascript:alert(1)))',
      ].join('\n'),
    );
  });
});
