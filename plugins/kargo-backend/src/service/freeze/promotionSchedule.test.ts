import { PromotionWindow } from '@kargo-backstage/plugin-kargo-common';
import { RRule } from 'rrule';
import {
  clearPromotionScheduleCaches,
  evaluatePromotionSchedule,
  selectsStage,
  validRe2,
  windowProblems,
} from './promotionSchedule';

const prod = { name: 'prod' };
const at = (iso: string) => new Date(iso);

/** Weekend freeze: Friday 18:00 to Monday 06:00, Berlin time. */
const weekend: PromotionWindow = {
  name: 'weekend',
  kind: 'Deny',
  stageSelector: { name: 'glob:prod*' },
  dtstart: '2026-10-02T18:00:00',
  dtend: '2026-10-05T06:00:00',
  rrule: 'FREQ=WEEKLY;BYDAY=FR',
  timeZone: 'Europe/Berlin',
};

describe('evaluatePromotionSchedule', () => {
  it('closes a stage during a one-shot Deny window and says when it opens', () => {
    const freeze: PromotionWindow = {
      name: 'year-end',
      kind: 'Deny',
      dtstart: '2026-12-20T00:00:00Z',
      dtend: '2027-01-05T00:00:00Z',
    };
    const windows = [{ ...freeze, reason: 'Year-end freeze' }];
    expect(
      evaluatePromotionSchedule(windows, prod, at('2026-12-24T12:00:00Z')),
    ).toEqual({
      open: false,
      closedBy: [{ name: 'year-end', kind: 'Deny', reason: 'Year-end freeze' }],
      nextChange: '2027-01-05T00:00:00.000Z',
    });
    expect(
      evaluatePromotionSchedule(windows, prod, at('2026-12-01T00:00:00Z')),
    ).toEqual({
      open: true,
      closedBy: [],
      nextChange: '2026-12-20T00:00:00.000Z',
    });
  });

  it('follows the wall clock of the time zone across the end of daylight saving time', () => {
    // Friday 23 October 2026 is summer time in Berlin (UTC+2), Friday 30 October winter (UTC+1).
    const open = (iso: string) =>
      evaluatePromotionSchedule([weekend], prod, at(iso)).open;
    expect(open('2026-10-23T15:59:00Z')).toBe(true); // 17:59 CEST
    expect(open('2026-10-23T16:01:00Z')).toBe(false); // 18:01 CEST
    expect(open('2026-10-30T16:30:00Z')).toBe(true); // 17:30 CET: a UTC rule would be closed
    expect(open('2026-10-30T17:01:00Z')).toBe(false); // 18:01 CET
    // Closed over the weekend of the change; opens Monday 06:00 CET, i.e. 05:00 UTC.
    expect(
      evaluatePromotionSchedule([weekend], prod, at('2026-10-24T12:00:00Z')),
    ).toMatchObject({ open: false, nextChange: '2026-10-26T05:00:00.000Z' });
    expect(open('2026-10-26T04:59:00Z')).toBe(false);
    expect(open('2026-10-26T05:01:00Z')).toBe(true);
  });

  it('leaves stages the selector does not pick alone', () => {
    expect(
      evaluatePromotionSchedule(
        [weekend],
        { name: 'uat' },
        at('2026-10-24T12:00:00Z'),
      ).open,
    ).toBe(true);
  });

  it('with Allow windows, needs one of them active', () => {
    const officeHours: PromotionWindow = {
      name: 'office-hours',
      kind: 'Allow',
      dtstart: '2026-11-02T09:00:00',
      dtend: '2026-11-02T17:00:00',
      rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR',
      timeZone: 'America/New_York',
    };
    const state = (iso: string) =>
      evaluatePromotionSchedule([officeHours], prod, at(iso));
    expect(state('2026-11-25T15:00:00Z').open).toBe(true); // Wed 10:00 EST
    expect(state('2026-11-25T23:00:00Z')).toEqual({
      open: false,
      closedBy: [{ name: 'office-hours', kind: 'Allow', reason: undefined }],
      nextChange: '2026-11-26T14:00:00.000Z', // Thu 09:00 EST
    });
    // A Deny inside office hours wins.
    const lunch: PromotionWindow = {
      name: 'deploy-lunch',
      kind: 'Deny',
      dtstart: '2026-11-25T12:00:00',
      dtend: '2026-11-25T13:00:00',
      timeZone: 'America/New_York',
    };
    expect(
      evaluatePromotionSchedule(
        [officeHours, lunch],
        prod,
        at('2026-11-25T17:30:00Z'),
      ),
    ).toMatchObject({
      open: false,
      closedBy: [{ name: 'deploy-lunch', kind: 'Deny' }],
      nextChange: '2026-11-25T18:00:00.000Z',
    });
  });
});

describe('selectsStage', () => {
  it("matches Kargo's selector: exact, glob, regex, labels", () => {
    expect(selectsStage({ name: 'prod' }, { name: 'prod' })).toBe(true);
    expect(selectsStage({ name: 'prod' }, { name: 'prod-eu' })).toBe(false);
    expect(selectsStage({ name: 'glob:prod-*' }, { name: 'prod-eu' })).toBe(
      true,
    );
    expect(selectsStage({ name: 'regex:^(uat|prod)$' }, { name: 'uat' })).toBe(
      true,
    );
    expect(
      selectsStage(
        { matchLabels: { tier: 'prod' } },
        { name: 'x', labels: { tier: 'prod' } },
      ),
    ).toBe(true);
    expect(selectsStage({ matchLabels: { tier: 'prod' } }, { name: 'x' })).toBe(
      false,
    );
  });
});

describe('windowProblems', () => {
  it('refuses windows that cannot be evaluated', () => {
    expect(
      windowProblems({
        name: 'x',
        kind: 'Deny',
        dtstart: '2026-12-02T00:00:00Z',
        dtend: '2026-12-01T00:00:00Z',
        rrule: 'BYDAY=FR',
        timeZone: 'Mars/Olympus',
      }),
    ).toEqual([
      'timeZone "Mars/Olympus" is not an IANA time zone',
      'dtend must be after dtstart',
      expect.stringMatching(/^rrule: FREQ is required/),
    ]);
    expect(windowProblems(weekend)).toEqual([]);
  });
});

describe('hostile windows (stored in Kargo or before these checks, not through windowProblems)', () => {
  beforeEach(() => clearPromotionScheduleCaches());
  const now = at('2026-11-28T12:00:10Z');
  const timed = <T>(fn: () => T) => {
    const start = performance.now();
    const value = fn();
    return { value, ms: performance.now() - start };
  };

  it('refuses sub-hourly recurrences on input, naming the field', () => {
    const window = (rrule: string): PromotionWindow => ({
      name: 'x',
      kind: 'Deny',
      dtstart: '2026-11-01T00:00:00Z',
      dtend: '2026-11-01T00:00:01Z',
      rrule,
    });
    expect(windowProblems(window('FREQ=SECONDLY'), now)).toEqual([
      expect.stringMatching(
        /^rrule: FREQ=SECONDLY recurs more often than hourly/,
      ),
    ]);
    expect(windowProblems(window('FREQ=MINUTELY;INTERVAL=5'), now)).toEqual([
      expect.stringMatching(
        /^rrule: FREQ=MINUTELY recurs more often than hourly/,
      ),
    ]);
    expect(windowProblems(window('FREQ=HOURLY;BYMINUTE=0,30'), now)).toEqual([
      expect.stringMatching(
        /^rrule: BYMINUTE with 2 values recurs more often than hourly/,
      ),
    ]);
    expect(windowProblems(window('FREQ=HOURLY'), now)).toEqual([]);
    expect(windowProblems(window('FREQ=DAILY;BYHOUR=9,17'), now)).toEqual([]);
  });

  it('refuses rules rrule.js would never finish, and COUNT rules that outgrow the cap', () => {
    const window = (rrule: string): PromotionWindow => ({
      name: 'x',
      kind: 'Deny',
      dtstart: '2026-11-01T00:00:00Z',
      dtend: '2026-11-01T00:30:00Z',
      rrule,
    });
    for (const [rrule, problem] of [
      ['FREQ=DAILY;INTERVAL=-1', /^rrule: INTERVAL must be a whole number/],
      ['FREQ=DAILY;INTERVAL=1.5', /^rrule: INTERVAL must be a whole number/],
      [
        'FREQ=HOURLY;BYHOUR=99',
        /^rrule: BYHOUR must list numbers from 0 to 23/,
      ],
      [
        'FREQ=HOURLY;INTERVAL=2;BYHOUR=3',
        /^rrule: BYHOUR=3 is never reached every 2 hours/,
      ],
      ['FREQ=WEEKLY;BYDAY=XX', /^rrule: BYDAY "XX" is not a weekday/],
      ['FREQ=DAILY;X-NAME=1', /^rrule: X-NAME is not a rule part/],
    ] as const) {
      expect(windowProblems(window(rrule), now)).toEqual([
        expect.stringMatching(problem),
      ]);
    }
    // COUNT is walked from DTSTART at every evaluation: it must end within the cap.
    const fromNow = {
      ...window('FREQ=HOURLY;COUNT=5000'),
      dtstart: '2026-11-28T12:00:00Z',
      dtend: '2026-11-28T12:30:00Z',
    };
    expect(windowProblems(fromNow, now)).toEqual([
      expect.stringMatching(/^rrule: COUNT=5000 does not end within the cap/),
    ]);
    expect(
      windowProblems({ ...fromNow, rrule: 'FREQ=HOURLY;COUNT=24' }, now),
    ).toEqual([]);
    expect(windowProblems(window('FREQ=HOURLY;COUNT=24'), now)).toEqual([]);
  });

  it('evaluates a stored FREQ=SECONDLY window within the cap: it closes the stage, says why, and is logged once', () => {
    const logger = { warn: jest.fn() };
    const secondly = {
      name: 'every-second',
      kind: 'Deny' as const,
      dtstart: '2020-01-01T00:00:00Z',
      dtend: '2020-01-01T00:00:01Z',
      rrule: 'FREQ=SECONDLY',
    };
    const { value, ms } = timed(() =>
      evaluatePromotionSchedule([secondly], prod, now, { logger }),
    );
    expect(ms).toBeLessThan(1000); // minutes without the cap
    expect(value).toEqual({
      open: false,
      closedBy: [
        {
          name: 'every-second',
          kind: 'Deny',
          reason: undefined,
          problem: expect.stringMatching(
            /^rrule: over the cap of 500 occurrences/,
          ),
        },
      ],
      nextChange: undefined,
    });
    // An Allow window that cannot be evaluated closes the stage too.
    expect(
      evaluatePromotionSchedule([{ ...secondly, kind: 'Allow' }], prod, now, {
        logger,
      }).open,
    ).toBe(false);
    evaluatePromotionSchedule([secondly], { name: 'uat' }, now, { logger });
    expect(logger.warn).toHaveBeenCalledTimes(2); // once per window (Deny, Allow), not per call
    expect(logger.warn.mock.calls[0][0]).toMatch(
      /^Promotion window "every-second" cannot be evaluated \(rrule: over the cap/,
    );
  });

  it('evaluates a stored FREQ=MINUTELY window exactly, within the cap', () => {
    // Closed for the first 30 s of every minute, since 2020.
    const minutely = {
      name: 'half-minutes',
      kind: 'Deny' as const,
      dtstart: '2020-01-01T00:00:00Z',
      dtend: '2020-01-01T00:00:30Z',
      rrule: 'FREQ=MINUTELY',
    };
    const { value, ms } = timed(() =>
      evaluatePromotionSchedule([minutely], prod, now),
    );
    expect(ms).toBeLessThan(1000); // 48 s without the cap
    expect(value).toEqual({
      open: false,
      closedBy: [{ name: 'half-minutes', kind: 'Deny', reason: undefined }],
      nextChange: '2026-11-28T12:00:30.000Z',
    });
    expect(
      evaluatePromotionSchedule([minutely], prod, at('2026-11-28T12:00:45Z')),
    ).toMatchObject({ open: true, nextChange: '2026-11-28T12:01:00.000Z' });
  });

  it('finishes rules that never occur or that rrule.js would loop on', () => {
    for (const rrule of [
      'FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30', // walks to the year 9999 without the cap
      'FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=30',
      'FREQ=HOURLY;INTERVAL=2;BYHOUR=3', // loops forever in rrule.js
      'FREQ=DAILY;INTERVAL=-1', // likewise
    ]) {
      const { value, ms } = timed(() =>
        evaluatePromotionSchedule(
          [
            {
              name: 'odd',
              kind: 'Deny',
              dtstart: '1990-01-01T00:00:00Z',
              dtend: '1990-01-01T01:00:00Z',
              rrule,
            },
          ],
          prod,
          now,
        ),
      );
      expect(ms).toBeLessThan(1000);
      expect(typeof value.open).toBe('boolean');
    }
  });

  it('remembers an evaluation until something starts or ends', () => {
    // Both ways rrule.js expands a rule (all, between) go through _iter.
    const spy = jest.spyOn(RRule.prototype as any, '_iter');
    const windows = [weekend];
    const saturday = at('2026-10-24T12:00:00Z');
    const first = evaluatePromotionSchedule(windows, prod, saturday);
    const calls = spy.mock.calls.length;
    expect(calls).toBeGreaterThan(0);
    // Other stages, later calls, the next minute: no recurrence expanded again.
    for (let i = 0; i < 100; i++) {
      expect(
        evaluatePromotionSchedule(
          windows,
          { name: `prod-${i}` },
          new Date(saturday.getTime() + i * 60_000),
        ),
      ).toEqual(first);
    }
    expect(spy.mock.calls.length).toBe(calls);
    spy.mockRestore();
  });
});

describe('stage selectors, as Kargo matches them (Go RE2, doublestar globs)', () => {
  beforeEach(() => clearPromotionScheduleCaches());

  it('matches a catastrophic-backtracking regex in linear time', () => {
    const selector = { name: 'regex:^((([a-z-])+)+)+\\d$' };
    const start = performance.now();
    // JavaScript's RegExp backtracks for seconds on 25 characters, and longer than anyone waits on these.
    expect(selectsStage(selector, { name: `${'a'.repeat(250)}!` })).toBe(false);
    expect(selectsStage(selector, { name: `${'a-'.repeat(5000)}x` })).toBe(
      false,
    );
    expect(selectsStage(selector, { name: 'prod-1' })).toBe(true);
    expect(performance.now() - start).toBeLessThan(500);
  });

  it('accepts Go syntax: (?i), regexp:, not anchored, as Kargo', () => {
    expect(selectsStage({ name: 'regex:(?i)PROD' }, { name: 'prod' })).toBe(
      true,
    );
    expect(
      selectsStage({ name: 'regexp:^prod-(eu|us)$' }, { name: 'prod-eu' }),
    ).toBe(true);
    expect(
      selectsStage({ name: 'regexp:^prod-(eu|us)$' }, { name: 'prod-asia' }),
    ).toBe(false);
    // Go's MatchString finds the pattern anywhere in the name.
    expect(selectsStage({ name: 'regex:prod' }, { name: 'my-prod-eu' })).toBe(
      true,
    );
    expect(
      selectsStage({ name: 'regex:(?P<env>prod)' }, { name: 'prod' }),
    ).toBe(true);
    expect(selectsStage({ name: 'glob:{uat,prod}-*' }, { name: 'uat-1' })).toBe(
      true,
    );
    expect(
      selectsStage({ name: 'glob:{uat,prod}-*' }, { name: 'test-1' }),
    ).toBe(false);
    expect(selectsStage({ name: 'glob:prod-?' }, { name: 'prod-1' })).toBe(
      true,
    );
    expect(selectsStage({ name: 'glob:prod-[!0-4]' }, { name: 'prod-7' })).toBe(
      true,
    );
    expect(selectsStage({ name: 'glob:prod-[!0-4]' }, { name: 'prod-3' })).toBe(
      false,
    );
    expect(selectsStage({ name: 'glob:prod.eu' }, { name: 'prodXeu' })).toBe(
      false,
    );
    expect(
      selectsStage(
        {
          matchExpressions: [{ key: 'tier', operator: 'In', values: ['prod'] }],
        },
        { name: 'x', labels: { tier: 'prod' } },
      ),
    ).toBe(true);
    expect(
      selectsStage(
        { matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] },
        { name: 'x', labels: { tier: 'prod' } },
      ),
    ).toBe(false);
  });

  it('refuses patterns Go refuses, naming the field', () => {
    const window = (name: string): PromotionWindow => ({
      name: 'x',
      kind: 'Deny',
      stageSelector: { name },
      dtstart: '2026-12-20T00:00:00Z',
      dtend: '2027-01-05T00:00:00Z',
    });
    expect(windowProblems(window('regex:prod-('))).toEqual([
      'stageSelector.name: error parsing regexp: missing closing ): `prod-(`',
    ]);
    // JavaScript accepts these; Go (and so Kargo) does not.
    expect(windowProblems(window('regex:(a)\\1'))).toEqual([
      expect.stringMatching(
        /^stageSelector\.name: error parsing regexp: invalid escape sequence/,
      ),
    ]);
    expect(windowProblems(window('regexp:prod(?=-eu)'))).toEqual([
      expect.stringMatching(/^stageSelector\.name: error parsing regexp/),
    ]);
    expect(windowProblems(window('glob:prod-[a'))).toEqual([
      'stageSelector.name: syntax error in pattern',
    ]);
    expect(windowProblems(window('re:prod'))).toEqual([
      'stageSelector.name: invalid pattern identifier "re": must be "regex", "regexp" or "glob"',
    ]);
    expect(windowProblems(window('regex:(?i)prod'))).toEqual([]);
    expect(validRe2('(?i)prod')).toBeUndefined();
    expect(validRe2('a(')).toMatch(/missing closing \)/);
  });

  it('a stored window whose selector Kargo would refuse closes every stage its labels pick', () => {
    const broken = {
      name: 'broken',
      kind: 'Deny' as const,
      stageSelector: { name: 'regex:prod(', matchLabels: { tier: 'prod' } },
      dtstart: '2026-12-20T00:00:00Z',
      dtend: '2027-01-05T00:00:00Z',
    };
    const march = at('2027-03-01T00:00:00Z');
    expect(
      evaluatePromotionSchedule(
        [broken],
        { name: 'a', labels: { tier: 'prod' } },
        march,
      ),
    ).toMatchObject({
      open: false,
      closedBy: [
        {
          name: 'broken',
          problem: expect.stringMatching(/^stageSelector\.name: /),
        },
      ],
    });
    expect(
      evaluatePromotionSchedule(
        [broken],
        { name: 'a', labels: { tier: 'dev' } },
        march,
      ).open,
    ).toBe(true);
  });
});
