import { parseInSlices } from './parseInSlices';

/** Strings that a careless scanner would take for structure. */
const tricky = [
  'plain',
  'with "quotes" and \\ backslash',
  'ends with a backslash \\',
  '{not: [an, object]}, ]',
  '"items":[1,2]',
  'unicode ✓ \u2028 line separator',
];

const freight = (i: number) => ({
  metadata: { name: `f-${i}`, labels: { note: tricky[i % tricky.length] } },
  origin: { kind: 'Warehouse', name: `w-${i % 3}` },
  images: [{ repoURL: `ghcr.io/x/${i}`, tag: `1.0.${i}`, digest: null }],
  status: { currentlyIn: i % 2 ? { test: { since: '2026-01-01' } } : {} },
  n: [i, -i / 3, 1e21, true, false, null],
});

const counted = () => {
  const pause = jest.fn(async () => {});
  return pause;
};

describe('parseInSlices', () => {
  it('parses a freight query of megabytes as JSON.parse does, in slices', async () => {
    const text = JSON.stringify({
      groups: {
        '': { items: Array.from({ length: 20000 }, (_, i) => freight(i)) },
        __proto__: { items: [] },
      },
      resourceVersion: '42',
    });
    expect(text.length).toBeGreaterThan(4_000_000);
    const pause = counted();
    const parsed = await parseInSlices<any>(text, pause);
    expect(parsed).toEqual(JSON.parse(text));
    expect(pause.mock.calls.length).toBeGreaterThan(10);
    expect(Object.getPrototypeOf(parsed.groups)).toBe(Object.prototype);
  });

  it('parses lists, a root array, several big arrays and big nested ones', async () => {
    const big = Array.from({ length: 18000 }, (_, i) => freight(i));
    for (const value of [
      { items: big, metadata: { resourceVersion: '7' } },
      big,
      { a: big, b: { c: [big.slice(0, 9000), 'x'] }, d: big.slice(0, 10) },
      [[big], { tail: tricky }],
    ]) {
      const text = JSON.stringify(value, null, value === big ? 2 : 0);
      expect(text.length).toBeGreaterThan(4_000_000);
      expect(await parseInSlices(text, async () => {})).toEqual(
        JSON.parse(text),
      );
    }
  });

  it('leaves a small answer to JSON.parse, and refuses malformed JSON', async () => {
    const pause = counted();
    expect(await parseInSlices('{"a":[1,2]}', pause)).toEqual({ a: [1, 2] });
    expect(pause).not.toHaveBeenCalled();
    const text = JSON.stringify({
      items: Array.from({ length: 20000 }, (_, i) => freight(i)),
    });
    for (const broken of [
      text.slice(0, -1),
      text.replace(
        '},{"metadata":{"name":"f-14000"',
        '},,{"metadata":{"name":"f-14000"',
      ),
      `${text}]`,
      text.replace('"f-17000"', '"f-17000'),
    ]) {
      await expect(parseInSlices(broken, async () => {})).rejects.toThrow(
        SyntaxError,
      );
    }
  });
});
