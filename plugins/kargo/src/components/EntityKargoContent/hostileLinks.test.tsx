/* eslint-disable no-script-url -- hostile URLs are what these tests feed in */
import { EntityProvider } from '@backstage/plugin-catalog-react';
import type { KargoProjectView } from '@kargo-backstage/plugin-kargo-common';
import { fireEvent, screen, within } from '@testing-library/react';
import { openFreightDrawer, renderWithKargo } from '../__testUtils__/testApis';
import { shopView, storefront } from '../__testUtils__/testViews';
import { FreightDrawer } from '../FreightDrawer';
import { EntityKargoContent } from './EntityKargoContent';

const entity = storefront('shop');

/** The shop, with every URL Kargo, people and enrichers provide made hostile (and a few safe ones). */
function hostileView(): KargoProjectView {
  const view = shopView();
  view.url = 'javascript:alert(document.domain)';
  const freight = view.freight[2]; // daring-dingo, in checkout-dev and prod
  freight.commits[0].message =
    'Fix [the chat](irc://irc.example.com/commit) <a href="irc://irc.example.com/raw">raw</a>';
  freight.portalMetadata = {
    freight: freight.name,
    notes: [
      'see [the chat](irc://irc.example.com/releases)',
      '[x](javascript:alert(1)) [y](JAVASCRIPT:alert(1)) [z](data:text/html,hi)',
      '[vb](vbscript:msgbox(1)) [rel](/catalog) [top](#top)',
      '<a href="irc://irc.example.com/html">html chat</a>',
      '[the docs](https://docs.example.com/shop)',
    ].join('\n\n'),
    links: [
      { title: 'IRC link', url: 'irc://irc.example.com/releases' },
      { title: 'Tab link', url: 'java\tscript:alert(1)' },
      { title: 'Relative link', url: '/catalog' },
      { title: 'CHG-1', url: 'https://tickets.example.com/CHG-1' },
    ],
    labels: {},
    version: 1,
    updatedBy: 'user:default/mallory',
    updatedAt: '2026-11-25T10:00:00Z',
    enrichments: {
      // as the changelog enricher wrote it before it escaped commit subjects
      changelog: {
        notes:
          '- commit `https://github.com/example/shop.git`: 0123 → abcdef123456 — Fix [the chat](irc://irc.example.com/subject) <a href="irc://irc.example.com/subject-html">subject chat</a>',
        links: [
          {
            title: 'Compare 0123…abcdef123456',
            url: 'irc://irc.example.com/x',
          },
          { title: 'Compare upper', url: 'JAVASCRIPT:alert(1)' },
        ],
        at: '2026-11-25T09:00:00Z',
      },
    },
  };
  const running = view.promotions[0]; // prod's current promotion, shown in the graph
  running.pullRequestUrl = 'irc://irc.example.com/pr';
  view.promotions.push({
    ...running,
    name: 'prod.01abb.daring-d',
    freight: freight.name,
    phase: 'Succeeded',
    pullRequestUrl: 'java\nscript:alert(1)',
  });
  return view;
}

/** Every anchor on the page (drawers render in portals) points at http(s) or mailto. */
function expectOnlySafeAnchors() {
  const anchors = Array.from(document.body.querySelectorAll('a'));
  for (const a of anchors) {
    expect(a.getAttribute('href')).toMatch(/^(https?|mailto):/);
  }
}

describe('hostile links in the Kargo tab', () => {
  it('renders unsafe URLs of notes, links, changelog and promotions as text, and never crashes', async () => {
    await renderWithKargo(
      <EntityProvider entity={entity}>
        <EntityKargoContent />
      </EntityProvider>,
      {
        api: {
          getEntityView: async () => ({
            entityRef: 'component:default/storefront',
            projects: [hostileView()],
          }),
        },
      },
    );

    // the tab: Kargo's own URL and the running promotion's pull request in the graph
    expect(await screen.findByText('Kargo · project shop')).toBeInTheDocument();
    expect(screen.getByText('Open in Kargo').closest('a')).toBeNull();
    const prod = screen.getByLabelText('Stage prod');
    expect(within(prod).getByText('PR').closest('a')).toBeNull();
    expectOnlySafeAnchors();

    // the freight drawer: notes, links, the changelog enrichment, the commit
    await openFreightDrawer('daring-dingo', '2.3.0');
    // the notes: unsafe links are their text, within the paragraph
    expect(await screen.findByText('see the chat')).toBeInTheDocument();
    expect(screen.getByText('x y z')).toBeInTheDocument();
    expect(screen.getByText('vb rel top')).toBeInTheDocument();
    expect(screen.getByText('html chat')).toBeInTheDocument();
    expect(screen.getByText('the docs').closest('a')).toHaveAttribute(
      'href',
      'https://docs.example.com/shop',
    );
    // the links, people's and the changelog's
    for (const title of [
      'IRC link',
      'Tab link',
      'Relative link',
      'Compare 0123…abcdef123456',
      'Compare upper',
    ]) {
      expect(screen.getByText(title).closest('a')).toBeNull();
    }
    expect(screen.getByText('CHG-1').closest('a')).toHaveAttribute(
      'href',
      'https://tickets.example.com/CHG-1',
    );
    // the changelog's commit subject, and the commit itself (shown as text)
    expect(
      screen.getByText(/abcdef123456 — Fix the chat subject chat$/),
    ).toBeInTheDocument();
    expect(screen.getByText(/Fix \[the chat\]\(irc:/)).toBeInTheDocument();
    expect(document.body.querySelectorAll('a').length).toBeGreaterThan(0);
    expectOnlySafeAnchors();
    fireEvent.click(
      screen.getByRole('button', { name: 'Close', hidden: true }),
    );

    // the stage drawer: its promotions' pull requests
    fireEvent.click(screen.getByLabelText('Stage prod'));
    expect(await screen.findByText('Stage prod')).toBeInTheDocument();
    const pullRequests = screen.getAllByText('pull request');
    expect(pullRequests).toHaveLength(2);
    for (const element of pullRequests) expect(element.closest('a')).toBeNull();
    expectOnlySafeAnchors();
  }, 30_000);

  it('shows the freight whose note links to irc: (the reported crash)', async () => {
    const view = shopView();
    const freight = view.freight[0];
    freight.portalMetadata = {
      freight: freight.name,
      notes: 'see [the chat](irc://irc.example.com/releases)',
      links: [],
      labels: {},
      version: 1,
      enrichments: {},
    };
    await renderWithKargo(
      <FreightDrawer
        view={view}
        freight={freight}
        onClose={jest.fn()}
        onPromote={jest.fn()}
      />,
    );
    expect(await screen.findByText('see the chat')).toBeInTheDocument();
    expect(screen.getByText('see the chat').querySelector('a')).toBeNull();
    expectOnlySafeAnchors();
  });
});
