import type { RolloutFailureAction, RolloutInput, WaveInput } from '../generated/graphql.js';

/** One wave as the form holds it: text fields stay text until the input is built. */
export interface WaveDraft {
  readonly unit: 'seats' | 'percent';
  readonly size: string;
  readonly soakSeconds: string;
  readonly requireApproval: boolean;
}

/** Everything the create form holds, as typed; `toRolloutInput` turns it into the API's input. */
export interface RolloutDraft {
  readonly segmentId: string;
  /** A group name; empty: the rollout goes to `selector`. */
  readonly group: string;
  readonly selector: string;
  readonly waves: readonly WaveDraft[];
  readonly maxFailurePercent: string;
  readonly onFailure: RolloutFailureAction;
  readonly seatTimeoutSeconds: string;
  readonly seatRetries: string;
  readonly windowCron: string;
  readonly windowMinutes: string;
  readonly windowTimeZone: string;
}

export const NEW_WAVE: WaveDraft = { unit: 'seats', size: '1', soakSeconds: '0', requireApproval: false };

export const EMPTY_DRAFT: RolloutDraft = {
  segmentId: '',
  group: '',
  selector: '',
  waves: [NEW_WAVE],
  maxFailurePercent: '0',
  onFailure: 'PAUSE',
  seatTimeoutSeconds: '',
  seatRetries: '0',
  windowCron: '',
  windowMinutes: '60',
  windowTimeZone: 'UTC',
};

/** A number typed into a field; empty means "not given" (seghub's default applies). */
function numberOf(text: string): number | undefined {
  const trimmed = text.trim();
  return trimmed === '' ? undefined : Number(trimmed);
}

/** The last wave takes the rest: its size is not sent. Numbers are checked by seghub, not here. */
function waveInput(wave: WaveDraft, last: boolean): WaveInput {
  const size = last ? undefined : numberOf(wave.size);
  return {
    ...(size === undefined ? {} : wave.unit === 'seats' ? { seats: size } : { percent: size }),
    soakSeconds: numberOf(wave.soakSeconds) ?? 0,
    requireApproval: wave.requireApproval,
  };
}

/** The input for createRollout and previewRollout; null while there is nothing to ask about. */
export function toRolloutInput(draft: RolloutDraft): RolloutInput | null {
  const selector = draft.selector.trim();
  if (!draft.segmentId || (!draft.group && !selector)) return null;
  const timeout = numberOf(draft.seatTimeoutSeconds);
  const cron = draft.windowCron.trim();
  return {
    segmentId: draft.segmentId,
    ...(draft.group ? { group: draft.group } : { selector }),
    waves: draft.waves.map((wave, i) => waveInput(wave, i === draft.waves.length - 1)),
    maxFailurePercent: numberOf(draft.maxFailurePercent) ?? 0,
    onFailure: draft.onFailure,
    seatRetries: numberOf(draft.seatRetries) ?? 0,
    ...(timeout === undefined ? {} : { seatTimeoutSeconds: timeout }),
    ...(cron
      ? {
          maintenanceWindow: {
            cron,
            durationMinutes: numberOf(draft.windowMinutes) ?? 60,
            timeZone: draft.windowTimeZone.trim() || 'UTC',
          },
        }
      : {}),
  };
}
