import type {
  PromotionWindow,
  PromotionWindowState,
} from '@kargo-backstage/plugin-kargo-common';
import { DateTime } from 'luxon';
import {
  DAY_MS,
  expand,
  fromFloating,
  HOUR_MS,
  MAX_OCCURRENCES_PER_WINDOW,
  offsetAt,
  parseRecurrence,
  subHourlyProblem,
  toFloating,
  YEAR_MS,
} from './recurrence';
import {
  selectsLabels,
  selectsStage,
  StageRef,
  stageSelectorProblems,
} from './stageSelector';

export { selectsStage, validRe2 } from './stageSelector';
export { MAX_OCCURRENCES_PER_WINDOW } from './recurrence';

/**
 * Kargo's promotion windows, evaluated the way Kargo documents them: any active Deny window
 * closes a stage; if Allow windows select it, at least one of them must be active.
 * Recurrences follow the window's time zone on the wall clock, so "Fridays 18:00" stays 18:00
 * local across daylight-saving changes.
 *
 * Windows are not all written through the portal's checks (Kargo's ProjectConfig takes anything
 * from anyone with Kargo access, and windows stored before a check existed stay), so evaluating
 * one costs bounded work: at most {@link MAX_OCCURRENCES_PER_WINDOW} occurrences per window (see
 * ./recurrence). A window that cannot be evaluated within that (e.g. `FREQ=SECONDLY`), or at all
 * (a recurrence or stage selector Kargo would refuse, a time that does not parse), counts as an
 * active Deny window for every stage it may select: it closes them, is listed in `closedBy` with
 * its `problem`, and no reopening is known. A freeze that cannot be read is kept, not ignored.
 * Whoever can write windows can close stages anyway; none can make the backend stall.
 *
 * Work is cached: each window's occurrences (per window definition, for a day at most), and each
 * result per set of windows selecting a stage, for as long as nothing starts or ends, so views of
 * many stages and the freezer every 30 s reuse them.
 */

type Window = PromotionWindow & { reason?: string };

/** How much earlier than an instant an occurrence containing it may start: its length, plus DST. */
const DST_SLACK_MS = 3 * HOUR_MS;

interface Timeline {
  occurrences: Array<{ start: number; end: number }>;
  /** Every occurrence starting before this instant is known. */
  knownUntil: number;
}
type Evaluation = Timeline | { problem: string };

const isProblem = (e: object): e is { problem: string } => 'problem' in e;

/** Problems with a window's times and zone, and the zone to read them in. */
function timeProblems(window: PromotionWindow) {
  const problems: string[] = [];
  let zone = window.timeZone ?? 'UTC';
  if (!DateTime.local().setZone(zone).isValid) {
    problems.push(`timeZone "${zone}" is not an IANA time zone`);
    zone = 'UTC';
  }
  const start = DateTime.fromISO(window.dtstart, { zone });
  const end = DateTime.fromISO(window.dtend, { zone });
  if (!start.isValid) problems.push('dtstart is not an ISO 8601 time');
  if (!end.isValid) problems.push('dtend is not an ISO 8601 time');
  if (start.isValid && end.isValid && end <= start) {
    problems.push('dtend must be after dtstart');
  }
  return { problems, zone, start, end };
}

/** rrule works on "floating" times: the wall clock written as if it were UTC (to the second). */
const floating = (dt: DateTime) =>
  Date.UTC(dt.year, dt.month - 1, dt.day, dt.hour, dt.minute, dt.second);

/** A window's occurrences around `t`: from one length before it to a year after, within the cap. */
function timeline(window: PromotionWindow, t: number): Evaluation {
  const { problems, zone, start, end } = timeProblems(window);
  if (problems.length) return { problem: problems.join('; ') };
  if (!window.rrule) {
    return {
      occurrences: [{ start: start.toMillis(), end: end.toMillis() }],
      knownUntil: Infinity,
    };
  }
  const parsed = parseRecurrence(window.rrule);
  if (!parsed.recurrence) {
    return { problem: `rrule: ${parsed.problems.join('; ')}` };
  }
  const recurrence = parsed.recurrence;
  const duration = end.toMillis() - start.toMillis();
  // Each occurrence lasts as long on the wall clock as the first (2 days 12 hours, say): days on
  // the calendar, the rest in elapsed time, as luxon's plus() does.
  const wall = end.diff(start, [
    'days',
    'hours',
    'minutes',
    'seconds',
    'milliseconds',
  ]);
  const wallDays = wall.days;
  const restMs = wall.minus({ days: wallDays }).toMillis();
  const floatStart = floating(start);
  const from = t - duration - DST_SLACK_MS;
  const horizon = t + YEAR_MS;
  const to = toFloating(zone, horizon);
  const until = recurrence.until?.utc
    ? toFloating(zone, recurrence.until.ms)
    : recurrence.until?.ms;
  const expansion = expand(
    recurrence,
    floatStart,
    toFloating(zone, from),
    to,
    until,
  );
  if (isProblem(expansion)) return { problem: `rrule: ${expansion.problem}` };
  const knownUntil =
    expansion.knownUntil === Infinity || expansion.knownUntil >= to
      ? Math.min(expansion.knownUntil, horizon)
      : fromFloating(zone, expansion.knownUntil) - HOUR_MS;
  if (knownUntil <= t) {
    return {
      problem: `rrule: over the cap of ${MAX_OCCURRENCES_PER_WINDOW} occurrences per evaluation before the present; the window cannot be evaluated`,
    };
  }
  return {
    knownUntil,
    occurrences: expansion.starts.map(f => {
      const s = fromFloating(zone, f);
      return {
        start: s,
        end:
          fromFloating(
            zone,
            toFloating(zone, s) + wallDays * DAY_MS,
            offsetAt(zone, s),
          ) + restMs,
      };
    }),
  };
}

// ---- caches ----

/** What evaluating a window depends on, and with the rest what its entry in `closedBy` shows. */
const keys = new WeakMap<object, { times: string; all: string }>();
function keysOf(w: Window) {
  let k = keys.get(w);
  if (!k) {
    const times = JSON.stringify([w.dtstart, w.dtend, w.rrule, w.timeZone]);
    k = {
      times,
      all: JSON.stringify([w.name, w.kind, w.reason, w.stageSelector, times]),
    };
    keys.set(w, k);
  }
  return k;
}

class BoundedCache<V> {
  private readonly entries = new Map<
    string,
    { from: number; until: number; value: V }
  >();
  constructor(private readonly max: number) {}
  get(key: string, t: number): V | undefined {
    const e = this.entries.get(key);
    return e && e.from <= t && t < e.until ? e.value : undefined;
  }
  set(key: string, from: number, until: number, value: V) {
    this.entries.delete(key);
    if (this.entries.size >= this.max) {
      this.entries.delete(this.entries.keys().next().value!);
    }
    this.entries.set(key, { from, until, value });
  }
  clear() {
    this.entries.clear();
  }
}

const timelines = new BoundedCache<Evaluation>(2000);
const results = new BoundedCache<PromotionWindowState>(5000);
const logged = new Set<string>();

/** Forgets every cached evaluation (tests, benchmarks). */
export function clearPromotionScheduleCaches(): void {
  timelines.clear();
  results.clear();
  logged.clear();
}

function timelineOf(w: Window, t: number): Evaluation {
  const key = keysOf(w).times;
  const cached = timelines.get(key, t);
  if (cached) return cached;
  const value = timeline(w, t);
  const until = isProblem(value)
    ? t + DAY_MS
    : t + Math.max(60_000, Math.min(DAY_MS, (value.knownUntil - t) / 2));
  timelines.set(key, t, until, value);
  return value;
}

/** The occurrence containing `t`, if any (occurrences sorted by start, of about equal length). */
function activeIn(occurrences: Timeline['occurrences'], t: number): boolean {
  let lo = 0;
  let hi = occurrences.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (occurrences[mid].start <= t) lo = mid + 1;
    else hi = mid;
  }
  // Lengths differ by a DST hour at most: look at the last few that started.
  for (let i = lo - 1; i >= 0 && i >= lo - 3; i--) {
    if (occurrences[i].start <= t && t < occurrences[i].end) return true;
  }
  return false;
}

/** An occurrence of a window: when it starts and ends (ms since the epoch). */
export type Occurrence = { start: number; end: number };

/**
 * The occurrences of a window that start or end in (from, to] (freeze notifications), and the
 * one active at `to`. A window that cannot be evaluated has none: it has no times to tell of.
 */
export function occurrencesAround(
  window: Window,
  from: number,
  to: number,
): { started: Occurrence[]; ended: Occurrence[]; active?: Occurrence } {
  const evaluation = timelineOf(window, to);
  if (isProblem(evaluation)) return { started: [], ended: [] };
  const within = (x: number) => from < x && x <= to;
  const { occurrences } = evaluation;
  return {
    started: occurrences.filter(o => within(o.start)),
    ended: occurrences.filter(o => within(o.end)),
    active: occurrences.find(o => o.start <= to && to < o.end),
  };
}

interface Selected {
  window: Window;
  evaluation: Evaluation;
}

function evaluate(selected: Selected[], t: number) {
  const active = (s: Selected, x: number) =>
    isProblem(s.evaluation) || activeIn(s.evaluation.occurrences, x);
  const closing = (x: number) =>
    selected.filter(
      s =>
        isProblem(s.evaluation) || (s.window.kind === 'Deny' && active(s, x)),
    );
  const allows = selected.filter(
    s => s.window.kind === 'Allow' && !isProblem(s.evaluation),
  );
  const openAt = (x: number) =>
    !closing(x).length && (!allows.length || allows.some(s => active(s, x)));
  const open = openAt(t);
  const denying = closing(t);
  const closedBy = open
    ? []
    : (denying.length ? denying : allows).map(s => ({
        name: s.window.name,
        kind: s.window.kind,
        reason: s.window.reason,
        ...(isProblem(s.evaluation) ? { problem: s.evaluation.problem } : {}),
      }));
  // Starts and ends ahead, as far as every window is known.
  let limit = t + YEAR_MS;
  const boundaries: number[] = [];
  for (const s of selected) {
    if (isProblem(s.evaluation)) continue;
    limit = Math.min(limit, s.evaluation.knownUntil);
  }
  for (const s of selected) {
    if (isProblem(s.evaluation)) continue;
    for (const o of s.evaluation.occurrences) {
      if (o.start > t && o.start <= limit) boundaries.push(o.start);
      if (o.end > t && o.end <= limit) boundaries.push(o.end);
    }
  }
  boundaries.sort((a, b) => a - b);
  let nextChange: string | undefined;
  // A window that cannot be evaluated keeps the stage closed: no change is known.
  if (!selected.some(s => isProblem(s.evaluation))) {
    for (const b of boundaries) {
      if (openAt(b) !== open) {
        nextChange = new Date(b).toISOString();
        break;
      }
    }
  }
  const state: PromotionWindowState = { open, closedBy, nextChange };
  // Nothing changes before the next start or end, nor past what is known.
  return { state, until: Math.min(boundaries[0] ?? limit, limit, t + DAY_MS) };
}

export interface EvaluateOptions {
  /** Told once per window (per process) that it cannot be evaluated and closes stages. */
  logger?: { warn(message: string): void };
}

/** Whether a stage is open for promotion at `now`, what closes it, and when that changes. */
export function evaluatePromotionSchedule(
  allWindows: Window[],
  stage: StageRef,
  now: Date,
  options: EvaluateOptions = {},
): PromotionWindowState {
  const t = now.getTime();
  const selected: Selected[] = [];
  for (const window of allWindows) {
    const selectorProblems = stageSelectorProblems(window.stageSelector);
    if (selectorProblems.length) {
      // Which stages it meant is unknown: every stage its labels pick.
      if (
        !selectsLabels(
          { matchLabels: window.stageSelector?.matchLabels },
          stage.labels,
        )
      ) {
        continue;
      }
      selected.push({
        window,
        evaluation: { problem: selectorProblems.join('; ') },
      });
    } else if (selectsStage(window.stageSelector, stage)) {
      selected.push({ window, evaluation: timelineOf(window, t) });
    }
  }
  for (const s of selected) {
    const key = keysOf(s.window).all;
    if (isProblem(s.evaluation) && options.logger && !logged.has(key)) {
      if (logged.size > 10_000) logged.clear();
      logged.add(key);
      options.logger.warn(
        `Promotion window "${s.window.name}" cannot be evaluated (${s.evaluation.problem}); it closes the stages it selects until it is fixed or removed`,
      );
    }
  }
  const key = selected.map(s => keysOf(s.window).all).join('\n');
  const cached = results.get(key, t);
  if (cached) return cached;
  const { state, until } = evaluate(selected, t);
  results.set(key, t, until, state);
  return state;
}

/** Checks a window before it is stored: times, order, zone, recurrence and selector must make sense. */
export function windowProblems(
  window: PromotionWindow,
  now: Date = new Date(),
): string[] {
  const { problems } = timeProblems(window);
  if (window.rrule) {
    const parsed = parseRecurrence(window.rrule);
    if (!parsed.recurrence) {
      problems.push(...parsed.problems.map(p => `rrule: ${p}`));
    } else {
      const recurrence = parsed.recurrence;
      const subHourly = subHourlyProblem(recurrence);
      if (subHourly) {
        problems.push(`rrule: ${subHourly}`);
      } else if (!problems.length) {
        const evaluation = timeline(window, now.getTime());
        if (isProblem(evaluation)) problems.push(evaluation.problem);
        if (!isProblem(evaluation) && recurrence.count !== undefined) {
          // COUNT counts from DTSTART, so such a rule is walked from there at every evaluation:
          // it must end within the cap, or it would stop being evaluable as time goes by.
          const { start } = timeProblems(window);
          const all = expand(recurrence, floating(start), -Infinity, Infinity);
          if (isProblem(all) || all.knownUntil !== Infinity) {
            problems.push(
              `rrule: COUNT=${recurrence.count} does not end within the cap of ${MAX_OCCURRENCES_PER_WINDOW} occurrences per evaluation; use fewer, or UNTIL`,
            );
          }
        }
      }
    }
  }
  problems.push(...stageSelectorProblems(window.stageSelector));
  return problems;
}
