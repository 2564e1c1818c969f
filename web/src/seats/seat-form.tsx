import { useState } from 'preact/hooks';
import { AddSeats } from '../api/documents.js';
import { request } from '../api/http.js';
import { describeError } from '../format.js';
import { FormOutcome, useFormAction } from '../hooks/use-form-action.js';
import { parseLabelText } from './label-text.js';

/** Adds one seat (or changes the IP of the seat with that name: upsertSeats keys on the name). */
export function SeatForm({ onAdded }: { onAdded(): void }) {
  const [name, setName] = useState('');
  const [ip, setIp] = useState('');
  const [labels, setLabels] = useState('');
  const { busy, message, run } = useFormAction();

  function submit(event: Event) {
    event.preventDefault();
    void run(async () => {
      const { upsertSeats: result } = await request(AddSeats, {
        // No labels typed: an existing seat keeps its own.
        seats: [
          { name: name.trim(), ip: ip.trim(), ...(labels.trim() ? { labels: parseLabelText(labels) } : {}) },
        ],
      });
      if (result.__typename !== 'UpsertSeatsSuccess') return { kind: 'error', text: describeError(result) };
      const seat = result.seats[0];
      setName('');
      setIp('');
      setLabels('');
      onAdded();
      return { kind: 'ok', text: `Saved seat ${seat?.name} (${seat?.ip}).` };
    });
  }

  return (
    <form class="inline-form" onSubmit={submit} aria-label="Add a seat">
      <label>
        Seat name
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
        IP address
        <input value={ip} onInput={(e) => setIp(e.currentTarget.value)} required autocomplete="off" />
      </label>
      <label>
        Labels
        <input
          value={labels}
          onInput={(e) => setLabels(e.currentTarget.value)}
          placeholder="site=north, role=bridge"
          autocomplete="off"
        />
      </label>
      <button type="submit" disabled={busy}>
        Add seat
      </button>
      <FormOutcome message={message} />
    </form>
  );
}
