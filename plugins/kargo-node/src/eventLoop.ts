/**
 * Breaks for long work, so that no task holds up the backend's other requests for long. Awaiting
 * a promise is no break: SQLite (better-sqlite3) answers synchronously, and a chain of settled
 * promises runs as one task; only the event loop's next turn lets other work in.
 */

/** Work longer than this without a break would hold up every request of the backend. */
const SLICE_MS = 10;

/**
 * The event loop's next turn, through its timers and I/O: setImmediate from an I/O callback
 * would run before either, letting no other request in.
 * @public
 */
export const nextTurn = () =>
  new Promise<void>(resolve => setTimeout(resolve, 0));

/**
 * A break to await often in a long loop: it lets the event loop in every SLICE_MS of work.
 * @public
 */
export function breaks(): () => Promise<void> {
  let since = performance.now();
  return async () => {
    if (performance.now() - since < SLICE_MS) return;
    await nextTurn();
    since = performance.now();
  };
}
