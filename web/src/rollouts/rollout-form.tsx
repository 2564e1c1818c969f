import { useState } from 'preact/hooks';
import { SeatGroupList } from '../api/group-documents.js';
import { request } from '../api/http.js';
import { CreateRolloutRequest } from '../api/rollout-control-documents.js';
import { SyncedSegmentChoices } from '../api/rollout-documents.js';
import { describeError } from '../format.js';
import type { RolloutFailureAction } from '../generated/graphql.js';
import { FormOutcome, useFormAction } from '../hooks/use-form-action.js';
import { useQuery } from '../hooks/use-query.js';
import { EMPTY_DRAFT, type RolloutDraft, toRolloutInput } from './rollout-input.js';
import { rolloutHref } from './rollout-links.js';
import { RolloutPreview } from './rollout-preview.js';
import { WaveFields } from './wave-fields.js';

type TextField = {
  [K in keyof RolloutDraft]: RolloutDraft[K] extends string ? K : never;
}[keyof RolloutDraft];

/** Creates a staged rollout, with a live preview of the wave sizes; opens its view once created. */
export function RolloutForm() {
  const [draft, setDraft] = useState<RolloutDraft>(EMPTY_DRAFT);
  const segments = useQuery(SyncedSegmentChoices, {});
  const groups = useQuery(SeatGroupList, {});
  const { busy, message, run } = useFormAction();
  const input = toRolloutInput(draft);
  const set = (change: Partial<RolloutDraft>) => setDraft((d) => ({ ...d, ...change }));
  const text = (field: TextField, label: string, extra: Record<string, string> = {}) => (
    <label>
      {label}
      <input value={draft[field]} onInput={(e) => set({ [field]: e.currentTarget.value })} {...extra} />
    </label>
  );

  function submit(event: Event) {
    event.preventDefault();
    if (!input) return;
    void run(async () => {
      const { createRollout: result } = await request(CreateRolloutRequest, { input });
      if (result.__typename !== 'CreateRolloutSuccess') return { kind: 'error', text: describeError(result) };
      window.location.hash = rolloutHref(result.rollout.id);
      return { kind: 'ok', text: 'Rollout created.' };
    });
  }

  return (
    <form class="rollout-form" onSubmit={submit} aria-label="Create a rollout">
      <div class="inline-form">
        <label>
          Segment version
          <select
            value={draft.segmentId}
            onChange={(e) => set({ segmentId: e.currentTarget.value })}
            required
          >
            <option value="">Choose a synced version…</option>
            {segments.data?.segments.edges.map(({ node }) => (
              <option key={node.id} value={node.id}>
                {node.name} {node.version}
              </option>
            ))}
          </select>
        </label>
        <label>
          Group
          <select value={draft.group} onChange={(e) => set({ group: e.currentTarget.value })}>
            <option value="">None: use a selector</option>
            {groups.data?.seatGroups.map((group) => (
              <option key={group.name} value={group.name}>
                {group.name} ({group.seatCount} seats)
              </option>
            ))}
          </select>
        </label>
        {!draft.group && text('selector', 'Selector', { class: 'mono', placeholder: 'site=north' })}
      </div>
      <WaveFields waves={draft.waves} onChange={(waves) => set({ waves })} />
      <div class="inline-form">
        {text('maxFailurePercent', 'Max failure %', { type: 'number', min: '0', max: '100', step: 'any' })}
        <label>
          On failure
          <select
            value={draft.onFailure}
            onChange={(e) => set({ onFailure: e.currentTarget.value as RolloutFailureAction })}
          >
            <option value="PAUSE">Pause</option>
            <option value="ROLLBACK">Roll back</option>
          </select>
        </label>
        {text('seatTimeoutSeconds', 'Seat timeout seconds', {
          type: 'number',
          min: '1',
          placeholder: 'default',
        })}
        {text('seatRetries', 'Retries', { type: 'number', min: '0' })}
      </div>
      <fieldset class="inline-form">
        <legend>Maintenance window (optional)</legend>
        {text('windowCron', 'Cron', { class: 'mono', placeholder: '0 2 * * 6' })}
        {text('windowMinutes', 'Duration minutes', { type: 'number', min: '1' })}
        {text('windowTimeZone', 'Time zone')}
      </fieldset>
      <RolloutPreview input={input} />
      <button type="submit" disabled={busy || !input}>
        Create rollout
      </button>
      <FormOutcome message={message} />
    </form>
  );
}
