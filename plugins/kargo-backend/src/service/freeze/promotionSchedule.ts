import type {
  KargoStageSelector,
  PromotionWindow,
  PromotionWindowState,
} from '@kargo-backstage/plugin-kargo-common';
import { DateTime } from 'luxon';
import { RRule } from 'rrule';

/**
 * Kargo's promotion windows, evaluated the way Kargo documents them: any active Deny window
 * closes a stage; if Allow windows select it, at least one of them must be active.
 * Recurrences follow the window's time zone on the wall clock, so "Fridays 18:00" stays 18:00
 * local across daylight-saving changes.
 */

type Window = PromotionWindow & { reason?: string };

const YEAR_MS = 366 * 24 * 60 * 60 * 1000;

/** Kargo's selector: name exact, `glob:` or `regex:`, and/or matchLabels (ANDed). */
export function selectsStage(
  selector: KargoStageSelector | undefined,
  stage: { name: string; labels?: Record<string, string> },
): boolean {
  if (!selector) return true;
  const { name, matchLabels } = selector;
  if (name) {
    let matches: boolean;
    if (name.startsWith('regex:')) {
      matches = new RegExp(name.slice(6)).test(stage.name);
    } else if (name.startsWith('glob:')) {
      const pattern = name
        .slice(5)
        .split('*')
        .map(p => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*');
      matches = new RegExp(`^${pattern}$`).test(stage.name);
    } else {
      matches = name === stage.name;
    }
    if (!matches) return false;
  }
  return Object.entries(matchLabels ?? {}).every(
    ([k, v]) => stage.labels?.[k] === v,
  );
}

/** The occurrences of a window as [start, end) instants, between two instants. */
function occurrences(window: Window, from: number, to: number) {
  const zone = window.timeZone ?? 'UTC';
  const start = DateTime.fromISO(window.dtstart, { zone });
  const end = DateTime.fromISO(window.dtend, { zone });
  const duration = end.toMillis() - start.toMillis();
  // Each occurrence lasts as long on the wall clock as the first (2 days 12 hours, say).
  const wallDuration = end.diff(start, ['days', 'hours', 'minutes', 'seconds']);
  if (!window.rrule) {
    return start.toMillis() < to && end.toMillis() > from
      ? [{ start: start.toMillis(), end: end.toMillis() }]
      : [];
  }
  // rrule works on "floating" times: the wall clock written as if it were UTC.
  const floating = (dt: DateTime) =>
    new Date(
      Date.UTC(dt.year, dt.month - 1, dt.day, dt.hour, dt.minute, dt.second),
    );
  const real = (d: Date) =>
    DateTime.fromObject(
      {
        year: d.getUTCFullYear(),
        month: d.getUTCMonth() + 1,
        day: d.getUTCDate(),
        hour: d.getUTCHours(),
        minute: d.getUTCMinutes(),
        second: d.getUTCSeconds(),
      },
      { zone },
    ).toMillis();
  const rule = new RRule({
    ...RRule.parseString(window.rrule.replace(/^RRULE:/, '')),
    dtstart: floating(start),
  });
  // Occurrences that started up to one duration (plus a DST hour, and then some) earlier.
  const windowFrom = DateTime.fromMillis(from - duration - 86_400_000, {
    zone,
  });
  const windowTo = DateTime.fromMillis(to, { zone });
  return rule
    .between(floating(windowFrom), floating(windowTo), true)
    .map(d => {
      const occurrenceStart = real(d);
      return {
        start: occurrenceStart,
        end: DateTime.fromMillis(occurrenceStart, { zone })
          .plus(wallDuration)
          .toMillis(),
      };
    })
    .filter(o => o.start < to && o.end > from);
}

function activeAt(window: Window, t: number) {
  return occurrences(window, t, t + 1).find(o => o.start <= t && t < o.end);
}

function isOpen(windows: Window[], t: number): boolean {
  if (windows.some(w => w.kind === 'Deny' && activeAt(w, t))) return false;
  const allows = windows.filter(w => w.kind === 'Allow');
  return !allows.length || allows.some(w => activeAt(w, t));
}

/** The next instant after `t` at which any window starts or ends. */
function nextBoundary(windows: Window[], t: number): number | undefined {
  let next: number | undefined;
  for (const w of windows) {
    for (const o of occurrences(w, t, t + YEAR_MS)) {
      for (const b of [o.start, o.end]) {
        if (b > t && (next === undefined || b < next)) next = b;
      }
    }
  }
  return next;
}

/** Whether a stage is open for promotion at `now`, what closes it, and when that changes. */
export function evaluatePromotionSchedule(
  allWindows: Window[],
  stage: { name: string; labels?: Record<string, string> },
  now: Date,
): PromotionWindowState {
  const windows = allWindows.filter(w => selectsStage(w.stageSelector, stage));
  const t = now.getTime();
  const open = isOpen(windows, t);
  const active = windows.filter(w => activeAt(w, t));
  const closedBy = open
    ? []
    : (active.some(w => w.kind === 'Deny')
        ? active.filter(w => w.kind === 'Deny')
        : windows.filter(w => w.kind === 'Allow')
      ).map(w => ({ name: w.name, kind: w.kind, reason: w.reason }));
  let nextChange: string | undefined;
  let cursor = t;
  for (let i = 0; i < 1000; i++) {
    const boundary = nextBoundary(windows, cursor);
    if (boundary === undefined || boundary > t + YEAR_MS) break;
    if (isOpen(windows, boundary) !== open) {
      nextChange = new Date(boundary).toISOString();
      break;
    }
    cursor = boundary;
  }
  return { open, closedBy, nextChange };
}

/** Checks a window before it is stored: times, order, zone and recurrence must make sense. */
export function windowProblems(window: PromotionWindow): string[] {
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
  if (window.rrule) {
    try {
      RRule.parseString(window.rrule.replace(/^RRULE:/, ''));
      if (!/FREQ=/.test(window.rrule)) throw new Error('no FREQ');
    } catch (e) {
      problems.push(
        `rrule is not an RFC 5545 recurrence (${(e as Error).message})`,
      );
    }
  }
  if (window.stageSelector?.name?.startsWith('regex:')) {
    try {
      RegExp(window.stageSelector.name.slice(6));
    } catch {
      problems.push('stageSelector.name is not a valid regex');
    }
  }
  return problems;
}
