import { useState } from 'preact/hooks';
import { SaveSeatGroup } from '../api/group-documents.js';
import { request } from '../api/http.js';
import { describeError } from '../format.js';
import { FormOutcome, useFormAction } from '../hooks/use-form-action.js';

/** Creates a seat group (or changes the one of that name: upsertSeatGroup keys on the name). */
export function GroupForm({ onSaved }: { onSaved(): void }) {
  const [name, setName] = useState('');
  const [selector, setSelector] = useState('');
  const [guarded, setGuarded] = useState(false);
  const { busy, message, run } = useFormAction();

  function submit(event: Event) {
    event.preventDefault();
    void run(async () => {
      const { upsertSeatGroup: result } = await request(SaveSeatGroup, {
        input: { name: name.trim(), selector: selector.trim(), protected: guarded },
      });
      if (result.__typename !== 'UpsertSeatGroupSuccess')
        return { kind: 'error', text: describeError(result) };
      setName('');
      setSelector('');
      setGuarded(false);
      onSaved();
      return { kind: 'ok', text: `Saved group ${result.group.name} (${result.group.seatCount} seats).` };
    });
  }

  return (
    <form class="inline-form" onSubmit={submit} aria-label="Create a group">
      <label>
        Group name
        <input
          value={name}
          onInput={(e) => setName(e.currentTarget.value)}
          required
          pattern="[a-z0-9][a-z0-9._\-]{0,62}"
          title="Lower case letters, digits, dot, dash and underscore"
          autocomplete="off"
        />
      </label>
      <label>
        Selector
        <input
          value={selector}
          onInput={(e) => setSelector(e.currentTarget.value)}
          placeholder="site=north,role in (bridge,engine)"
          autocomplete="off"
          class="mono"
        />
      </label>
      <label>
        <input type="checkbox" checked={guarded} onChange={(e) => setGuarded(e.currentTarget.checked)} />
        Protected (released segments only)
      </label>
      <button type="submit" disabled={busy}>
        Save group
      </button>
      <FormOutcome message={message} />
    </form>
  );
}
