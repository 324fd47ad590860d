import { matchesLabelSelector } from './labelSelector';

describe('matchesLabelSelector', () => {
  const labels = { app: 'guestbook', tier: 'web' };
  it.each([
    ['', true],
    ['app=guestbook', true],
    ['app==guestbook', true],
    ['app=guestbook,tier=web', true],
    ['app = guestbook , tier = web', true],
    ['app=cart', false],
    ['app=guestbook,tier=db', false],
    ['app!=cart', true],
    ['app!=guestbook', false],
    ['tier', true],
    ['zone', false],
    ['!zone', true],
    ['!tier', false],
  ])('%p → %p', (selector, expected) => {
    expect(matchesLabelSelector(labels, selector)).toBe(expected);
  });

  it('treats missing labels as none', () => {
    expect(matchesLabelSelector(undefined, 'app=guestbook')).toBe(false);
    expect(matchesLabelSelector(undefined, '!app')).toBe(true);
  });
});
