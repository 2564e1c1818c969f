import { Cron } from 'croner';
import { InvalidInputError } from '../../model/errors.js';
import type { MaintenanceWindow } from '../../records/rollout-schema.js';
import type { MaintenanceWindowInput } from './rollout-types.js';

/**
 * Maintenance windows (SPEC-FLEET D8): a 5-field cron in an IANA time zone opens a window at each
 * fire; the window is `[fire, fire + duration)` in absolute time. Windows gate only the start of a
 * wave. Time-zone and DST arithmetic is croner's: a fire time that falls into a DST gap (02:30 on
 * the spring-forward night) fires at the first time after the gap, and one that occurs twice (the
 * fall-back night) fires once, at its first occurrence.
 *
 * Accepted patterns: exactly five fields (minute hour day-of-month month day-of-week), with names
 * (`MON`, `JAN`) and croner's extensions (`L`, `W`, `#`, `?`). Refused: 6- and 7-field patterns
 * (seconds and years are not cron's) and nicknames such as `@daily` (not five fields; write
 * `0 0 * * *`). Day-of-month and day-of-week combine with OR, as in classic cron.
 */

const FIELD = 'maintenanceWindow';
export const MAX_WINDOW_MINUTES = 7 * 24 * 60;
/** Far beyond any sensible pattern; keeps refusals (which quote the pattern) small. */
export const MAX_CRON_LENGTH = 200;
/** A window must open within this many days of the rollout's creation. */
export const WINDOW_HORIZON_DAYS = 366;
const DAY_MS = 24 * 3600 * 1000;

export type WindowState = { open: true; closesAt: Date } | { open: false; opensAt: Date };

/** The IANA name as the runtime spells it (`utc` → `UTC`, `US/Eastern` → `America/New_York`). */
function canonicalTimeZone(zone: string): string {
  // Intl on newer Node accepts offsets ("+01:00"); D8 asks for an IANA zone, whose names start
  // with a letter.
  if (!/^[A-Za-z]/.test(zone)) throw new RangeError(zone);
  return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
}

function schedule(cron: string, timeZone: string): Cron {
  // No function is given, so nothing is ever scheduled; `paused` makes that explicit.
  return new Cron(cron, { timezone: timeZone, mode: '5-part', paused: true });
}

/** Validates a window and returns its stored form (cron fields single-spaced, time zone filled). */
export function parseMaintenanceWindow(input: MaintenanceWindowInput, now: Date): MaintenanceWindow {
  const zoneInput = input.timeZone ?? 'UTC';
  let timeZone: string;
  try {
    timeZone = canonicalTimeZone(zoneInput);
  } catch {
    throw new InvalidInputError(
      `unknown time zone "${zoneInput}": give an IANA name such as Europe/Berlin`,
      `${FIELD}.timeZone`,
    );
  }
  const { durationMinutes } = input;
  if (!(Number.isInteger(durationMinutes) && durationMinutes >= 1 && durationMinutes <= MAX_WINDOW_MINUTES)) {
    throw new InvalidInputError(
      `durationMinutes must be an integer from 1 to ${MAX_WINDOW_MINUTES} (7 days), got ${durationMinutes}`,
      `${FIELD}.durationMinutes`,
    );
  }
  if (input.cron.length > MAX_CRON_LENGTH) {
    throw new InvalidInputError(
      `cron must be at most ${MAX_CRON_LENGTH} characters, got ${input.cron.length}`,
      `${FIELD}.cron`,
    );
  }
  const fields = input.cron.trim().split(/\s+/);
  if (fields.length !== 5) {
    throw new InvalidInputError(
      `cron "${input.cron}" must have exactly 5 fields (minute hour day-of-month month day-of-week)`,
      `${FIELD}.cron`,
    );
  }
  const cron = fields.join(' ');
  let first: Date | null;
  try {
    first = schedule(cron, timeZone).nextRun(now);
  } catch (error) {
    const reason = error instanceof Error ? error.message.replace(/^CronPattern: /, '') : '';
    throw new InvalidInputError(`cron "${cron}" is not valid: ${reason}`, `${FIELD}.cron`);
  }
  if (!first || first.getTime() - now.getTime() > WINDOW_HORIZON_DAYS * DAY_MS) {
    throw new InvalidInputError(
      `cron "${cron}" opens no window in the next ${WINDOW_HORIZON_DAYS} days`,
      `${FIELD}.cron`,
    );
  }
  return { cron, durationMinutes, timeZone };
}

/**
 * Whether a window is open at `now`. Open: `closesAt` is the end of the latest window opened so
 * far (an overlapping later one may extend it). Closed: `opensAt` is the next fire.
 */
export function windowState(window: MaintenanceWindow, now: Date): WindowState {
  const job = schedule(window.cron, window.timeZone);
  const durationMs = window.durationMinutes * 60_000;
  // The first fire after `now - duration` is the earliest window that has not closed by `now`
  // (windows are half-open, and nextRun is strictly after its argument).
  const earliest = job.nextRun(new Date(now.getTime() - durationMs));
  if (earliest && earliest.getTime() <= now.getTime()) {
    // previousRuns excludes its reference, so +1 ms lets a fire exactly at `now` count.
    const latest = job.previousRuns(1, new Date(now.getTime() + 1))[0] ?? earliest;
    const opened = Math.max(earliest.getTime(), latest.getTime());
    return { open: true, closesAt: new Date(opened + durationMs) };
  }
  if (earliest) return { open: false, opensAt: earliest };
  // Validated windows always fire again within a year; a stored one that no longer does (a
  // runtime whose zone data changed) is reported as never opening rather than guessed at.
  throw new RangeError(`maintenance window "${window.cron}" (${window.timeZone}) never opens again`);
}
