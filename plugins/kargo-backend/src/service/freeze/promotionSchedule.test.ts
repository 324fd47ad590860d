import { PromotionWindow } from '@kargo-backstage/plugin-kargo-common';
import {
  evaluatePromotionSchedule,
  selectsStage,
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
      expect.stringMatching(/^rrule is not an RFC 5545 recurrence/),
    ]);
    expect(windowProblems(weekend)).toEqual([]);
  });
});
