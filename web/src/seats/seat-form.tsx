import { useState } from 'preact/hooks';
import { AddSeats } from '../api/documents.js';
import { request } from '../api/http.js';
import { describeError, errorText } from '../format.js';

/** Adds one seat (or changes the IP of the seat with that name: upsertSeats keys on the name). */
export function SeatForm({ onAdded }: { onAdded(): void }) {
  const [name, setName] = useState('');
  const [ip, setIp] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string }>();

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setMessage(undefined);
    try {
      const { upsertSeats: result } = await request(AddSeats, {
        seats: [{ name: name.trim(), ip: ip.trim() }],
      });
      if (result.__typename === 'UpsertSeatsSuccess') {
        const seat = result.seats[0];
        setMessage({ kind: 'ok', text: `Saved seat ${seat?.name} (${seat?.ip}).` });
        setName('');
        setIp('');
        onAdded();
      } else {
        setMessage({ kind: 'error', text: describeError(result) });
      }
    } catch (error) {
      setMessage({ kind: 'error', text: errorText(error) });
    } finally {
      setBusy(false);
    }
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
      <button type="submit" disabled={busy}>
        Add seat
      </button>
      <p
        class={message?.kind === 'error' ? 'message error' : 'message'}
        role={message?.kind === 'error' ? 'alert' : 'status'}
      >
        {message?.text}
      </p>
    </form>
  );
}
