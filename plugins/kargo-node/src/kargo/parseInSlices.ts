/**
 * JSON.parse for answers of megabytes (a big project's freight: 12 MB, some 50 ms in one task),
 * in slices with turns of the event loop in between, so that no other request waits that long.
 *
 * One scan finds the big arrays near the top (a list's `items`, the freight query's
 * `groups.<group>.items`) and where their elements begin and end; their elements are parsed with
 * JSON.parse a batch at a time, and the rest of the document with those arrays left empty, into
 * which the elements are then put. The result is what JSON.parse returns; malformed text throws
 * as JSON.parse does (each part goes through it).
 */

/** Below this, JSON.parse in one go is quick enough (some 15 ms), and cheaper than slices. */
const SMALL = 4_000_000;
/** Arrays at most this deep (the root is 1) have their elements split. */
const MAX_DEPTH = 5;
/** Characters of elements parsed per JSON.parse call. */
const BATCH = 200_000;

interface Frame {
  array: boolean;
  start: number;
  /** The key under which the value sits in its parent, or its index. */
  key: string | number;
  /** For arrays: where each element ends (a comma or the closing bracket). */
  ends?: number[];
  /** For objects: where the last key began and ended. */
  keyStart?: number;
  keyEnd?: number;
  count: number;
}

interface BigArray {
  path: Array<string | number>;
  start: number;
  end: number;
  ends: number[];
}

/** Where the string opened at `at` (a quote) closes. */
function stringEnd(text: string, at: number): number {
  let i = at;
  for (;;) {
    i = text.indexOf('"', i + 1);
    if (i < 0) throw new SyntaxError('Unterminated string in JSON');
    let backslashes = 0;
    for (let j = i - 1; text.charCodeAt(j) === 92; j--) backslashes++;
    if (backslashes % 2 === 0) return i;
  }
}

/** The big arrays of the document, outermost first, each with its elements' ends. */
async function bigArrays(
  text: string,
  pause: () => Promise<void>,
): Promise<BigArray[]> {
  const stack: Frame[] = [];
  const found: BigArray[] = [];
  let lastString: [number, number] | undefined;
  let steps = 0;
  for (let i = 0; i < text.length; i++) {
    if (++steps % 4096 === 0) await pause();
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      const end = stringEnd(text, i);
      lastString = [i, end];
      i = end;
      continue;
    }
    const top = stack[stack.length - 1];
    if (c === 123 /* { */ || c === 91 /* [ */) {
      let key: string | number = '';
      if (top?.array) key = top.count;
      else if (top && top.keyStart !== undefined && stack.length < MAX_DEPTH) {
        key = JSON.parse(text.slice(top.keyStart, top.keyEnd! + 1));
      }
      const deep = stack.length + 1 > MAX_DEPTH;
      stack.push({
        array: c === 91,
        start: i,
        key,
        ends: c === 91 && !deep ? [] : undefined,
        count: 0,
      });
    } else if (c === 58 /* : */ && top && !top.array && lastString) {
      [top.keyStart, top.keyEnd] = lastString;
    } else if (c === 44 /* , */ && top) {
      top.ends?.push(i);
      top.count++;
    } else if (c === 125 /* } */ || c === 93 /* ] */) {
      const frame = stack.pop();
      if (!frame) throw new SyntaxError('Unexpected end of JSON container');
      if (frame.ends && i - frame.start > BATCH) {
        frame.ends.push(i);
        found.push({
          // Keys from the root's child down; the root itself has none.
          path: stack.length
            ? [...stack.slice(1).map(f => f.key), frame.key]
            : [],
          start: frame.start,
          end: i,
          ends: frame.ends,
        });
      }
    }
  }
  if (stack.length) throw new SyntaxError('Unexpected end of JSON input');
  // Outermost first; an array inside another big one is parsed with its element.
  found.sort((a, b) => a.start - b.start);
  return found.filter(
    (a, i) => !found.slice(0, i).some(o => o.start < a.start && a.end < o.end),
  );
}

export async function parseInSlices<T>(
  text: string,
  pause: () => Promise<void>,
): Promise<T> {
  if (text.length < SMALL) return JSON.parse(text);
  const arrays = await bigArrays(text, pause);
  if (!arrays.length) return JSON.parse(text);
  const filled: unknown[][] = [];
  for (const array of arrays) {
    const elements: unknown[] = [];
    let batchStart = array.start + 1;
    for (const end of array.ends) {
      if (end - batchStart < BATCH && end !== array.end) continue;
      const part = text.slice(batchStart, end);
      if (part.trim()) {
        for (const element of JSON.parse(`[${part}]`)) elements.push(element);
      }
      batchStart = end + 1;
      await pause();
    }
    filled.push(elements);
  }
  if (!arrays[0].path.length) return filled[0] as T; // the document is the array
  // The document with the big arrays left empty.
  let rest = '';
  let at = 0;
  for (const array of arrays) {
    rest += `${text.slice(at, array.start)}[]`;
    at = array.end + 1;
  }
  rest += text.slice(at);
  const document = JSON.parse(rest);
  arrays.forEach((array, n) => {
    let parent = document;
    for (const key of array.path.slice(0, -1)) parent = parent[key];
    // Defined, not assigned: a key such as "__proto__" stays the plain key JSON.parse makes.
    Object.defineProperty(parent, array.path[array.path.length - 1], {
      value: filled[n],
      writable: true,
      enumerable: true,
      configurable: true,
    });
  });
  return document;
}
