import { IANAZone } from 'luxon';
import { Frequency, Options, RRule, Weekday } from 'rrule';

/**
 * RFC 5545 recurrence rules for promotion windows, parsed strictly and expanded with a bounded
 * amount of work.
 *
 * Windows reach the backend from anyone who can write them, in the portal or straight into
 * Kargo, so expanding one must never stall the event loop. rrule.js alone would: it walks every
 * period from DTSTART (years of seconds for `FREQ=SECONDLY`), walks to the year 9999 when a rule
 * has no occurrence (`BYMONTH=2;BYMONTHDAY=30`), and loops forever on some valid rules
 * (`FREQ=HOURLY;INTERVAL=2;BYHOUR=3` from an even hour) and on bad values (`INTERVAL=-1`,
 * `BYHOUR=99`). Here:
 *
 * - Only well-formed rule parts with values in their ranges are handed to rrule.js; rules it
 *   cannot finish (an unreachable BYHOUR, sub-hourly rules with INTERVAL and BYxxx filters) are
 *   refused.
 * - DTSTART is moved forward by whole periods to just before the span looked at (the occurrences
 *   stay the same); only COUNT rules are walked from their DTSTART, as COUNT counts from there.
 * - At most {@link MAX_OCCURRENCES_PER_WINDOW} occurrences are produced, and the periods walked are
 *   counted (a period that yields nothing counts too); the walk stops at either limit. What was
 *   walked is known; a window whose walk could not even reach the present cannot be evaluated.
 */

/**
 * Occurrences produced per window per evaluation (and twice as many seen, those before the span
 * included); the periods walked are capped at this many days' worth (hours for FREQ=HOURLY and
 * finer). About 5 ms of rrule.js at most.
 */
export const MAX_OCCURRENCES_PER_WINDOW = 500;

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
export const YEAR_MS = 366 * DAY_MS;

type Freq = keyof typeof FREQUENCIES;
const FREQUENCIES = {
  YEARLY: Frequency.YEARLY,
  MONTHLY: Frequency.MONTHLY,
  WEEKLY: Frequency.WEEKLY,
  DAILY: Frequency.DAILY,
  HOURLY: Frequency.HOURLY,
  MINUTELY: Frequency.MINUTELY,
  SECONDLY: Frequency.SECONDLY,
};
/** Fixed-length periods, in floating (wall-clock) milliseconds. */
const PERIOD_MS: Partial<Record<Freq, number>> = {
  WEEKLY: 7 * DAY_MS,
  DAILY: DAY_MS,
  HOURLY: HOUR_MS,
  MINUTELY: 60_000,
  SECONDLY: 1000,
};
const DAYS_PER_PERIOD: Record<Freq, number> = {
  YEARLY: 366,
  MONTHLY: 31,
  WEEKLY: 7,
  DAILY: 1,
  HOURLY: 1,
  MINUTELY: 1,
  SECONDLY: 1,
};
const WEEKDAYS: Record<string, Weekday> = {
  MO: RRule.MO,
  TU: RRule.TU,
  WE: RRule.WE,
  TH: RRule.TH,
  FR: RRule.FR,
  SA: RRule.SA,
  SU: RRule.SU,
};

/** A recurrence rule that rrule.js can expand, with what its cost depends on. */
export interface Recurrence {
  freq: Freq;
  interval: number;
  count?: number;
  /** UNTIL, as written: a floating (wall-clock) time, or an instant when it ends in Z. */
  until?: { ms: number; utc: boolean };
  options: Partial<Options>;
}

const LIST_PARTS: Record<string, [number, number, boolean]> = {
  // part: [min, max, negatives allowed]
  BYSECOND: [0, 59, false],
  BYMINUTE: [0, 59, false],
  BYHOUR: [0, 23, false],
  BYMONTHDAY: [1, 31, true],
  BYYEARDAY: [1, 366, true],
  BYWEEKNO: [1, 53, true],
  BYMONTH: [1, 12, false],
  BYSETPOS: [1, 366, true],
};
const OPTION_OF: Record<string, keyof Options> = {
  BYSECOND: 'bysecond',
  BYMINUTE: 'byminute',
  BYHOUR: 'byhour',
  BYMONTHDAY: 'bymonthday',
  BYYEARDAY: 'byyearday',
  BYWEEKNO: 'byweekno',
  BYMONTH: 'bymonth',
  BYSETPOS: 'bysetpos',
};

const gcd = (a: number, b: number): number => (b ? gcd(b, a % b) : a);

/**
 * Parses `FREQ=…;…` (an `RRULE:` prefix is allowed), refusing what RFC 5545 refuses and what
 * rrule.js cannot expand in bounded time. Problems are about the rrule field, without its name.
 */
export function parseRecurrence(text: string): {
  recurrence?: Recurrence;
  problems: string[];
} {
  const problems: string[] = [];
  const body = text.trim().replace(/^RRULE:/i, '');
  if (/[\r\n]/.test(body)) {
    return {
      problems: [
        'only the rule itself (FREQ=…), without DTSTART or other lines',
      ],
    };
  }
  const parts = new Map<string, string>();
  for (const part of body.split(';')) {
    const match = /^([A-Za-z-]+)=(.+)$/.exec(part.trim());
    if (!match) {
      problems.push(`"${part}" is not a PART=value rule part`);
      continue;
    }
    const key = match[1].toUpperCase();
    if (parts.has(key)) problems.push(`${key} is given twice`);
    parts.set(key, match[2].trim());
  }
  const freqText = parts.get('FREQ')?.toUpperCase();
  if (!freqText) {
    problems.push('FREQ is required');
  } else if (!(freqText in FREQUENCIES)) {
    problems.push(`FREQ=${freqText} is not a frequency`);
  }
  const freq = freqText as Freq;
  const options: Partial<Options> = { freq: FREQUENCIES[freq] };
  const positive = (key: string, max: number) => {
    const value = parts.get(key);
    if (value === undefined) return undefined;
    if (!/^\d{1,7}$/.test(value) || Number(value) < 1 || Number(value) > max) {
      problems.push(`${key} must be a whole number from 1 to ${max}`);
      return undefined;
    }
    return Number(value);
  };
  const interval = positive('INTERVAL', 100_000) ?? 1;
  options.interval = interval;
  const count = positive('COUNT', 100_000);
  if (count !== undefined) options.count = count;
  let until: Recurrence['until'];
  const untilText = parts.get('UNTIL');
  if (untilText !== undefined) {
    const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z?))?$/i.exec(
      untilText,
    );
    const [y, mo, d, h, mi, s] = (m ?? []).slice(1, 7).map(v => Number(v ?? 0));
    const ms = Date.UTC(y, mo - 1, d, h, mi, s);
    if (
      !m ||
      new Date(ms).getUTCMonth() !== mo - 1 ||
      new Date(ms).getUTCDate() !== d ||
      h > 23 ||
      mi > 59 ||
      s > 59
    ) {
      problems.push(
        'UNTIL must be a date (YYYYMMDD) or date-time (YYYYMMDDTHHMMSS[Z])',
      );
    } else {
      until = { ms, utc: Boolean(m[7]) };
    }
  }
  if (count !== undefined && until) {
    problems.push('COUNT and UNTIL cannot both be given');
  }
  for (const [key, [min, max, negatives]] of Object.entries(LIST_PARTS)) {
    const value = parts.get(key);
    if (value === undefined) continue;
    const numbers = value.split(',').map(v => v.trim());
    if (
      !numbers.every(v => {
        if (!/^[+-]?\d{1,3}$/.test(v)) return false;
        const n = Number(v);
        const abs = Math.abs(n);
        return (
          (n >= 0 || negatives) &&
          abs >= min &&
          abs <= max &&
          (n !== 0 || min === 0)
        );
      })
    ) {
      problems.push(
        `${key} must list numbers from ${negatives ? `±${min}` : min} to ${
          negatives ? `±${max}` : max
        }`,
      );
      continue;
    }
    (options as any)[OPTION_OF[key]] = [...new Set(numbers.map(Number))];
  }
  const byday = parts.get('BYDAY');
  if (byday !== undefined) {
    const days: Weekday[] = [];
    for (const item of byday.split(',').map(v => v.trim().toUpperCase())) {
      const m = /^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$/.exec(item);
      const nth = m?.[1] === undefined ? undefined : Number(m[1]);
      if (!m || (nth !== undefined && (nth === 0 || Math.abs(nth) > 53))) {
        problems.push(
          `BYDAY "${item}" is not a weekday (MO…SU, optionally ±1…53 before it)`,
        );
        continue;
      }
      if (nth !== undefined && freq !== 'MONTHLY' && freq !== 'YEARLY') {
        problems.push(
          'BYDAY may have a number (e.g. 1MO) only with FREQ=MONTHLY or YEARLY',
        );
        continue;
      }
      days.push(nth === undefined ? WEEKDAYS[m[2]] : WEEKDAYS[m[2]].nth(nth));
    }
    options.byweekday = days;
  }
  const wkst = parts.get('WKST')?.toUpperCase();
  if (wkst !== undefined) {
    if (wkst in WEEKDAYS) options.wkst = WEEKDAYS[wkst];
    else problems.push(`WKST=${wkst} is not a weekday`);
  }
  for (const key of parts.keys()) {
    if (
      ![
        'FREQ',
        'INTERVAL',
        'COUNT',
        'UNTIL',
        'BYDAY',
        'WKST',
        ...Object.keys(LIST_PARTS),
      ].includes(key)
    ) {
      problems.push(`${key} is not a rule part of RFC 5545`);
    }
  }
  if (parts.has('BYWEEKNO') && freq !== 'YEARLY') {
    problems.push('BYWEEKNO is allowed only with FREQ=YEARLY');
  }
  if (parts.has('BYYEARDAY') && ['MONTHLY', 'WEEKLY', 'DAILY'].includes(freq)) {
    problems.push(`BYYEARDAY is not allowed with FREQ=${freq}`);
  }
  if (parts.has('BYMONTHDAY') && freq === 'WEEKLY') {
    problems.push('BYMONTHDAY is not allowed with FREQ=WEEKLY');
  }
  if (
    parts.has('BYSETPOS') &&
    ![...parts.keys()].some(k => k.startsWith('BY') && k !== 'BYSETPOS')
  ) {
    problems.push('BYSETPOS needs another BYxxx rule part');
  }
  if (problems.length) return { problems };
  return { recurrence: { freq, interval, count, until, options }, problems };
}

/** Occurrences per period at most: the times of day times the days a period may keep. */
function occurrencesPerPeriod(r: Recurrence): number {
  const o = r.options;
  const n = (list: unknown) => (Array.isArray(list) && list.length) || 1;
  const sub = { HOURLY: 1, MINUTELY: 2, SECONDLY: 3 }[r.freq as string] ?? 0;
  const times =
    (sub < 1 ? n(o.byhour) : 1) *
    (sub < 2 ? n(o.byminute) : 1) *
    (sub < 3 ? n(o.bysecond) : 1);
  const weekdays = (o.byweekday as Weekday[] | undefined) ?? [];
  const dayParts = Boolean(
    o.byweekno || o.byyearday || o.bymonthday || weekdays.length,
  );
  let days = DAYS_PER_PERIOD[r.freq];
  if (r.freq === 'YEARLY') {
    const months = n(o.bymonth);
    days = dayParts ? 366 : months;
    if (o.bymonth) days = Math.min(days, 31 * months);
    if (o.byyearday) days = Math.min(days, n(o.byyearday));
    if (o.bymonthday)
      days = Math.min(days, n(o.bymonthday) * (o.bymonth ? months : 12));
    if (o.byweekno) days = Math.min(days, 7 * n(o.byweekno));
    if (weekdays.length) {
      days = Math.min(
        days,
        weekdays.reduce((sum, d) => {
          // An nth weekday is one day a year, or one a month with BYMONTH.
          const perYear = o.bymonth ? months : 1;
          return sum + (d.n ? perYear : 53);
        }, 0),
      );
    }
  } else if (r.freq === 'MONTHLY') {
    days = dayParts ? 31 : 1;
    if (o.bymonthday) days = Math.min(days, n(o.bymonthday));
    if (weekdays.length) {
      days = Math.min(
        days,
        weekdays.reduce((sum, d) => sum + (d.n ? 1 : 5), 0),
      );
    }
  } else if (r.freq === 'WEEKLY') {
    days = weekdays.length ? weekdays.length : 1;
  }
  return times * days;
}

/**
 * Why rrule.js could not expand the rule from this DTSTART (floating) in bounded time, if so.
 * Its HOURLY/MINUTELY/SECONDLY steps loop until the hour (minute, second) is in BYHOUR
 * (BYMINUTE, BYSECOND): with an INTERVAL that never gets there, forever.
 */
function unboundedProblem(r: Recurrence, dtstart: number): string | undefined {
  const o = r.options;
  if (r.freq === 'HOURLY' && r.interval > 1 && o.byhour) {
    const step = gcd(r.interval, 24);
    const hour = new Date(dtstart).getUTCHours();
    const hours = o.byhour as number[];
    if (!hours.some(h => (((h - hour) % step) + step) % step === 0)) {
      return `BYHOUR=${hours.join(',')} is never reached every ${
        r.interval
      } hours from DTSTART's hour ${hour}`;
    }
  }
  if (
    (r.freq === 'MINUTELY' || r.freq === 'SECONDLY') &&
    r.interval > 1 &&
    (o.byhour || o.byminute || (r.freq === 'SECONDLY' && o.bysecond))
  ) {
    return `FREQ=${r.freq} with INTERVAL and BYHOUR/BYMINUTE/BYSECOND cannot be evaluated`;
  }
  const perPeriod = occurrencesPerPeriod(r);
  if (perPeriod > MAX_OCCURRENCES_PER_WINDOW) {
    return `may have ${perPeriod} occurrences per period, over the cap of ${MAX_OCCURRENCES_PER_WINDOW} per evaluation`;
  }
  return undefined;
}

/** Whether a rule recurs more often than hourly (FREQ, or BYMINUTE/BYSECOND lists). */
export function subHourlyProblem(r: Recurrence): string | undefined {
  if (r.freq === 'SECONDLY' || r.freq === 'MINUTELY') {
    return `FREQ=${r.freq} recurs more often than hourly; a promotion window may recur at most hourly`;
  }
  for (const [key, list] of [
    ['BYMINUTE', r.options.byminute],
    ['BYSECOND', r.options.bysecond],
  ] as const) {
    if (Array.isArray(list) && list.length > 1) {
      return `${key} with ${list.length} values recurs more often than hourly; a promotion window may recur at most hourly`;
    }
  }
  return undefined;
}

// ---- time zones: wall clock ("floating" time, written as if UTC) <-> instants ----

type DayOffsets =
  | { offset: number }
  | { at: number; before: number; after: number };
const zones = new Map<
  string,
  { zone: IANAZone; days: Map<number, DayOffsets> }
>();

/**
 * The zone's UTC offset in minutes at an instant. luxon's costs microseconds a call, so offsets
 * are kept per UTC day: the same at both ends means the same all day (zones change at most once
 * a day); otherwise the change is found to the minute.
 */
export function offsetAt(zoneName: string, ts: number): number {
  let z = zones.get(zoneName);
  if (!z) {
    z = { zone: IANAZone.create(zoneName), days: new Map() };
    zones.set(zoneName, z);
  }
  const day = Math.floor(ts / DAY_MS);
  let known = z.days.get(day);
  if (!known) {
    if (z.days.size > 20_000) z.days.clear();
    const before = z.zone.offset(day * DAY_MS);
    const after = z.zone.offset((day + 1) * DAY_MS);
    if (before === after) {
      known = { offset: before };
    } else {
      let lo = day * DAY_MS; // offset `before` here
      let hi = (day + 1) * DAY_MS; // `after` here
      while (hi - lo > 60_000) {
        const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
        if (z.zone.offset(mid) === before) lo = mid;
        else hi = mid;
      }
      known = { at: hi, before, after };
    }
    z.days.set(day, known);
  }
  if ('offset' in known) return known.offset;
  return ts < known.at ? known.before : known.after;
}

export const toFloating = (zone: string, ts: number) =>
  ts + offsetAt(zone, ts) * 60_000;

/** The instant of a wall-clock time, as luxon resolves it (gaps forward, overlaps by the guess). */
export function fromFloating(
  zone: string,
  local: number,
  guess = offsetAt(zone, local),
): number {
  let utc = local - guess * 60_000;
  const o2 = offsetAt(zone, utc);
  if (guess === o2) return utc;
  utc -= (o2 - guess) * 60_000;
  const o3 = offsetAt(zone, utc);
  if (o2 === o3) return utc;
  return local - Math.min(o2, o3) * 60_000;
}

/** Whole periods after a floating time; for months, the first of the month (a lower bound). */
function addPeriods(floating: number, freq: Freq, n: number): number {
  const fixed = PERIOD_MS[freq];
  if (fixed) return floating + n * fixed;
  const d = new Date(floating);
  return Date.UTC(
    d.getUTCFullYear(),
    d.getUTCMonth() + (freq === 'YEARLY' ? 12 * n : n),
    1,
  );
}

/**
 * DTSTART moved forward by whole periods to at most `before`, with the defaults rrule.js takes
 * from DTSTART (day of month, month) made explicit, so the occurrences from there on are the same.
 */
function movedStart(
  r: Recurrence,
  dtstart: number,
  before: number,
): { dtstart: number; options: Partial<Options> } {
  const options = { ...r.options };
  if (r.count !== undefined || before <= dtstart) return { dtstart, options };
  const fixed = PERIOD_MS[r.freq];
  if (fixed) {
    const step = fixed * r.interval;
    return {
      dtstart: dtstart + Math.floor((before - dtstart) / step) * step,
      options,
    };
  }
  const s = new Date(dtstart);
  const b = new Date(before);
  const months = r.freq === 'YEARLY' ? 12 : 1;
  const elapsed =
    ((b.getUTCFullYear() - s.getUTCFullYear()) * 12 +
      b.getUTCMonth() -
      s.getUTCMonth()) /
    months;
  const at = (k: number) =>
    Date.UTC(
      s.getUTCFullYear(),
      r.freq === 'YEARLY'
        ? 12 * k * r.interval
        : s.getUTCMonth() + k * r.interval,
      1,
      s.getUTCHours(),
      s.getUTCMinutes(),
      s.getUTCSeconds(),
    );
  let k = Math.floor(elapsed / r.interval);
  while (k > 0 && at(k) > before) k--;
  if (k <= 0) return { dtstart, options };
  const weekdays = (options.byweekday as Weekday[] | undefined) ?? [];
  if (
    !options.byweekno &&
    !options.byyearday &&
    !options.bymonthday &&
    !weekdays.length
  ) {
    options.bymonthday = [s.getUTCDate()];
    if (r.freq === 'YEARLY' && !options.bymonth) {
      options.bymonth = [s.getUTCMonth() + 1];
    }
  }
  return { dtstart: at(k), options };
}

class WalkedTooFar extends Error {}

/** Occurrence starts (floating) of a rule, from `from` to `to` (floating), within the cap. */
export interface Expansion {
  starts: number[];
  /** Every occurrence starting at or before this floating time is in `starts`. */
  knownUntil: number;
}

/**
 * The occurrences of `r` from DTSTART `dtstart` (floating) that start at or after `from` and at
 * or before `to` (floating), or a problem when rrule.js could not expand it in bounded time.
 */
export function expand(
  r: Recurrence,
  dtstart: number,
  from: number,
  to: number,
  /** UNTIL as a floating time, when it is an instant (ends in Z) converted by the caller. */
  until = r.until?.ms,
): Expansion | { problem: string } {
  const problem = unboundedProblem(r, dtstart);
  if (problem) return { problem };
  const moved = movedStart(r, dtstart, from);
  const rule = new RRule(
    {
      ...moved.options,
      dtstart: new Date(moved.dtstart),
      until: until === undefined ? null : new Date(until),
      tzid: null,
    },
    true,
  );
  // rrule.js reads `options.interval` once per period it walks (and once at the start): count
  // them, and stop the walk at the cap even when the periods yield nothing.
  const maxSteps = Math.max(
    2,
    Math.floor(MAX_OCCURRENCES_PER_WINDOW / DAYS_PER_PERIOD[r.freq]),
  );
  let reads = 0;
  Object.defineProperty(rule.options, 'interval', {
    configurable: true,
    get: () => {
      if (++reads > 1 + 2 * maxSteps) throw new WalkedTooFar();
      return r.interval;
    },
  });
  const starts: number[] = [];
  let seen = 0;
  let last = -Infinity;
  let stopped: 'to' | 'cap' | undefined;
  let knownUntil: number;
  try {
    rule.all(date => {
      const t = date.getTime();
      if (t > to) {
        stopped = 'to';
        return false;
      }
      last = t;
      if (t >= from) starts.push(t);
      // Occurrences before `from` (COUNT rules walk from DTSTART) count towards the cap too.
      if (
        starts.length >= MAX_OCCURRENCES_PER_WINDOW ||
        ++seen >= 2 * MAX_OCCURRENCES_PER_WINDOW
      ) {
        stopped = 'cap';
        return false;
      }
      return true;
    });
    if (stopped === 'to') knownUntil = to;
    else if (stopped === 'cap') knownUntil = last;
    else knownUntil = Infinity; // the rule ended (COUNT, UNTIL)
  } catch (error) {
    if (!(error instanceof WalkedTooFar)) throw error;
    const walked = Math.floor((reads - 1) / 2) * r.interval;
    knownUntil = Math.min(to, addPeriods(moved.dtstart, r.freq, walked));
  }
  return { starts, knownUntil };
}
