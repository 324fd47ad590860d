/**
 * Room for a card's stage marks: the card's inner width (150 px less its padding and border), on
 * two lines; wrapped marks beyond them would be cut off, and with them the count of the rest.
 */
export const MARKS = { width: 132, lines: 2, gap: 4 };
/** A mark's text is 11 px: up to 6.6 px a character in the fonts the portal falls back to. */
const CHAR_PX = 6.6;
/** A mark's horizontal padding. */
const PADDING_PX = 12;

/** A mark's width, estimated from its text; at most a line (a longer name is ellipsized). */
const markWidth = (name: string) =>
  Math.min(MARKS.width, PADDING_PX + name.length * CHAR_PX);
const countWidth = (hidden: number) => `+${hidden}`.length * CHAR_PX;

/** Whether boxes of these widths, wrapped as the browser wraps them, take `MARKS.lines` or fewer. */
function fitsLines(widths: number[]): boolean {
  let lines = 1;
  let x = 0;
  for (const w of widths) {
    if (x > 0 && x + MARKS.gap + w > MARKS.width) {
      lines++;
      x = w;
    } else {
      x += (x > 0 ? MARKS.gap : 0) + w;
    }
  }
  return lines <= MARKS.lines;
}

/**
 * How many of a freight's stages to mark on its card: as many as fit its two lines together with
 * the count of the others ("+18"), so that count always shows. Widths are estimated from the
 * names' length (a little wide), as a card is not measured: thousands of them are windowed.
 */
export function shownMarks(stages: string[]): number {
  let shown = 0;
  while (shown < stages.length) {
    const next = shown + 1;
    const hidden = stages.length - next;
    const widths = stages.slice(0, next).map(markWidth);
    if (!fitsLines(hidden ? [...widths, countWidth(hidden)] : widths)) break;
    shown = next;
  }
  return shown;
}
