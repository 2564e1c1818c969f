import { describe, expect, it } from 'vitest';
import { parseMaintenanceWindow, windowState } from '../../../src/domain/rollouts/maintenance-window.js';
import { refusal } from '../../support/fixtures/invalid-input.js';

const at = (iso: string) => new Date(iso);
const now = at('2026-12-07T12:00:00Z');

describe('parseMaintenanceWindow', () => {
  it('fills the time zone with UTC and spaces the cron fields singly', () => {
    expect(parseMaintenanceWindow({ cron: ' 0  2 * *   SAT ', durationMinutes: 60 }, now)).toEqual({
      cron: '0 2 * * SAT',
      durationMinutes: 60,
      timeZone: 'UTC',
    });
  });

  it('stores the IANA name as the runtime spells it', () => {
    const window = (timeZone: string) =>
      parseMaintenanceWindow({ cron: '0 2 * * *', durationMinutes: 60, timeZone }, now).timeZone;
    expect(window('Europe/Berlin')).toBe('Europe/Berlin');
    expect(window('europe/berlin')).toBe('Europe/Berlin');
  });

  it('refuses an unknown time zone or a bare offset', () => {
    for (const timeZone of ['Mars/Olympus', '+01:00', '']) {
      expect(
        refusal(() => parseMaintenanceWindow({ cron: '0 2 * * *', durationMinutes: 60, timeZone }, now))
          .field,
      ).toBe('maintenanceWindow.timeZone');
    }
  });

  it('takes durations of 1 minute to 7 days', () => {
    for (const durationMinutes of [1, 10_080]) {
      expect(parseMaintenanceWindow({ cron: '0 2 * * *', durationMinutes }, now).durationMinutes).toBe(
        durationMinutes,
      );
    }
    for (const durationMinutes of [0, -5, 1.5, 10_081, Number.NaN]) {
      expect(refusal(() => parseMaintenanceWindow({ cron: '0 2 * * *', durationMinutes }, now)).field).toBe(
        'maintenanceWindow.durationMinutes',
      );
    }
  });

  it('refuses patterns that are not 5-field cron, nicknames included', () => {
    for (const cron of ['0 0 2 * * *', '0 0 2 * * * 2027', '@daily', '0 2 * *', '']) {
      const refused = refusal(() => parseMaintenanceWindow({ cron, durationMinutes: 60 }, now));
      expect(refused.field).toBe('maintenanceWindow.cron');
      expect(refused.message).toMatch(/exactly 5 fields/);
    }
  });

  it('refuses an overlong pattern without quoting it', () => {
    const cron = `0 2 * * ${'1,'.repeat(150)}1`;
    const refused = refusal(() => parseMaintenanceWindow({ cron, durationMinutes: 60 }, now));
    expect(refused).toEqual({
      field: 'maintenanceWindow.cron',
      message: 'cron must be at most 200 characters, got 309',
    });
  });

  it('refuses a malformed field with the reason', () => {
    const refused = refusal(() => parseMaintenanceWindow({ cron: '60 2 * * *', durationMinutes: 60 }, now));
    expect(refused.field).toBe('maintenanceWindow.cron');
    expect(refused.message).toMatch(/minute/);
  });

  it('refuses a cron that opens no window in the next 366 days', () => {
    expect(refusal(() => parseMaintenanceWindow({ cron: '0 0 30 2 *', durationMinutes: 60 }, now))).toEqual({
      field: 'maintenanceWindow.cron',
      message: 'cron "0 0 30 2 *" opens no window in the next 366 days',
    });
    // 29 February: 449 days away from December 2026, 365 days away from March 2027.
    const leapDay = { cron: '0 0 29 2 *', durationMinutes: 60 };
    expect(refusal(() => parseMaintenanceWindow(leapDay, now)).field).toBe('maintenanceWindow.cron');
    expect(parseMaintenanceWindow(leapDay, at('2027-03-01T00:00:00Z')).cron).toBe('0 0 29 2 *');
  });
});

describe('windowState', () => {
  const nightly = { cron: '0 2 * * *', durationMinutes: 60, timeZone: 'UTC' };

  it('is open from the fire up to, not including, fire + duration', () => {
    expect(windowState(nightly, at('2026-12-07T01:59:59.999Z'))).toEqual({
      open: false,
      opensAt: at('2026-12-07T02:00:00Z'),
    });
    expect(windowState(nightly, at('2026-12-07T02:00:00Z'))).toEqual({
      open: true,
      closesAt: at('2026-12-07T03:00:00Z'),
    });
    expect(windowState(nightly, at('2026-12-07T02:59:59.999Z'))).toEqual({
      open: true,
      closesAt: at('2026-12-07T03:00:00Z'),
    });
    expect(windowState(nightly, at('2026-12-07T03:00:00Z'))).toEqual({
      open: false,
      opensAt: at('2026-12-08T02:00:00Z'),
    });
  });

  it('keeps a window open across midnight in its time zone', () => {
    // Friday 22:00 in Berlin (CET, UTC+1) for four hours: still open at Saturday 01:00 local,
    // though Saturday does not match the pattern.
    const friday = { cron: '0 22 * * FRI', durationMinutes: 240, timeZone: 'Europe/Berlin' };
    expect(windowState(friday, at('2026-12-12T00:00:00Z'))).toEqual({
      open: true,
      closesAt: at('2026-12-12T01:00:00Z'),
    });
    expect(windowState(friday, at('2026-12-12T01:00:00Z'))).toEqual({
      open: false,
      opensAt: at('2026-12-18T21:00:00Z'),
    });
    // 23:00 in New York (EST, UTC−5) for two hours: 04:00Z to 06:00Z.
    const late = { cron: '0 23 * * *', durationMinutes: 120, timeZone: 'America/New_York' };
    expect(windowState(late, at('2026-12-08T05:30:00Z'))).toEqual({
      open: true,
      closesAt: at('2026-12-08T06:00:00Z'),
    });
    expect(windowState(late, at('2026-12-08T03:59:00Z'))).toEqual({
      open: false,
      opensAt: at('2026-12-08T04:00:00Z'),
    });
  });

  it('follows daylight saving time in Europe/Berlin', () => {
    const early = { cron: '30 2 * * *', durationMinutes: 30, timeZone: 'Europe/Berlin' };
    // 28 March 02:30 CET is 01:30Z; on 29 March 02:30 does not exist (02:00 CET jumps to 03:00
    // CEST), so the window opens at 03:00 CEST = 01:00Z; on 30 March 02:30 CEST is 00:30Z.
    expect(windowState(early, at('2026-03-28T12:00:00Z'))).toEqual({
      open: false,
      opensAt: at('2026-03-29T01:00:00Z'),
    });
    expect(windowState(early, at('2026-03-29T01:15:00Z'))).toEqual({
      open: true,
      closesAt: at('2026-03-29T01:30:00Z'),
    });
    expect(windowState(early, at('2026-03-29T12:00:00Z'))).toEqual({
      open: false,
      opensAt: at('2026-03-30T00:30:00Z'),
    });
    // 25 October: 02:30 happens twice (CEST, then CET); the window opens once, at the first.
    expect(windowState(early, at('2026-10-25T00:45:00Z')).open).toBe(true);
    expect(windowState(early, at('2026-10-25T01:45:00Z'))).toEqual({
      open: false,
      opensAt: at('2026-10-26T01:30:00Z'),
    });
  });

  it('measures the duration in absolute time across a DST change', () => {
    // 01:00 CET on 29 March is 00:00Z; three hours later is 03:00Z (05:00 CEST, not 04:00).
    const long = { cron: '0 1 * * *', durationMinutes: 180, timeZone: 'Europe/Berlin' };
    expect(windowState(long, at('2026-03-29T02:59:00Z'))).toEqual({
      open: true,
      closesAt: at('2026-03-29T03:00:00Z'),
    });
    expect(windowState(long, at('2026-03-29T03:00:00Z')).open).toBe(false);
  });

  it('reports the end of the latest window when windows overlap', () => {
    const hourly = { cron: '0 * * * *', durationMinutes: 120, timeZone: 'UTC' };
    expect(windowState(hourly, at('2026-12-07T05:30:00Z'))).toEqual({
      open: true,
      closesAt: at('2026-12-07T07:00:00Z'),
    });
  });
});
