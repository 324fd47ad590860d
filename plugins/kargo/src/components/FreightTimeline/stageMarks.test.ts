import { shownMarks } from './stageMarks';

describe('shownMarks', () => {
  it('marks every stage when they fit the card', () => {
    expect(shownMarks([])).toBe(0);
    expect(shownMarks(['test', 'uat', 'prod'])).toBe(3);
  });

  it('leaves room for the count of the rest on the second line', () => {
    // Two names a line, at most: the third line would be cut off, and the count with it.
    const chain = Array.from({ length: 20 }, (_, i) => `stage-13-${i}`);
    expect(shownMarks(chain)).toBe(2);
    // Short names share a line; the last one gives its room to "+1".
    expect(shownMarks(['cart-staging', 'canary', 'prod-eu', 'prod-us'])).toBe(
      3,
    );
  });

  it('gives a name longer than a line (ellipsized) a line of its own', () => {
    const long = 'a-stage-with-a-very-long-name-indeed';
    expect(shownMarks([long])).toBe(1);
    expect(shownMarks([long, 'b'])).toBe(2);
    expect(shownMarks([long, `${long}-too`, 'b'])).toBe(1);
  });
});
