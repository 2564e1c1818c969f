import { useState } from 'preact/hooks';
import { RelabelSeats } from '../api/group-documents.js';
import { request } from '../api/http.js';
import { describeError } from '../format.js';
import { FormOutcome, useFormAction } from '../hooks/use-form-action.js';
import { parseKeyText, parseLabelText } from './label-text.js';

/** Sets and removes labels on every seat matching a selector (setSeatLabels), in one call. */
export function LabelSeatsForm({ selector, onDone }: { selector: string; onDone(): void }) {
  const [set, setSet] = useState('');
  const [remove, setRemove] = useState('');
  const { busy, message, run } = useFormAction();

  function submit(event: Event) {
    event.preventDefault();
    void run(async () => {
      const { setSeatLabels: result } = await request(RelabelSeats, {
        selector,
        set: parseLabelText(set),
        remove: parseKeyText(remove),
      });
      if (result.__typename !== 'SetSeatLabelsSuccess') return { kind: 'error', text: describeError(result) };
      setSet('');
      setRemove('');
      onDone();
      return { kind: 'ok', text: `Labelled ${result.changedCount} of ${result.matchedCount} seats.` };
    });
  }

  return (
    <form class="inline-form" onSubmit={submit} aria-label="Label the seats shown">
      <label>
        Set labels
        <input
          value={set}
          onInput={(e) => setSet(e.currentTarget.value)}
          placeholder="ring=canary"
          autocomplete="off"
        />
      </label>
      <label>
        Remove keys
        <input
          value={remove}
          onInput={(e) => setRemove(e.currentTarget.value)}
          placeholder="retired"
          autocomplete="off"
        />
      </label>
      <button type="submit" disabled={busy || (!set.trim() && !remove.trim())}>
        {selector.trim() ? 'Label matching seats' : 'Label all seats'}
      </button>
      <FormOutcome message={message} />
    </form>
  );
}
