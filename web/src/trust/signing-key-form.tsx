import { useState } from 'preact/hooks';
import { request } from '../api/http.js';
import { describeError } from '../format.js';
import { FormOutcome, useFormAction } from '../hooks/use-form-action.js';
import { shortKeyId } from './signature-list.js';
import { AddSigningKeyRequest } from './trust-documents.js';

/** Adds a trusted public key: its PEM as pasted, a label people recognise, an optional end date. */
export function SigningKeyForm({ onAdded }: { onAdded(): void }) {
  const [pem, setPem] = useState('');
  const [label, setLabel] = useState('');
  const [notAfter, setNotAfter] = useState('');
  const { busy, message, run } = useFormAction();

  function submit(event: Event) {
    event.preventDefault();
    void run(async () => {
      const { addSigningKey: result } = await request(AddSigningKeyRequest, {
        publicKeyPem: pem.trim(),
        label: label.trim(),
        // datetime-local is the browser's local time; seghub takes an instant.
        notAfter: notAfter ? new Date(notAfter).toISOString() : null,
      });
      if (!('key' in result)) return { kind: 'error', text: `Not added. ${describeError(result)}` };
      setPem('');
      setLabel('');
      setNotAfter('');
      onAdded();
      const { key } = result;
      return { kind: 'ok', text: `Added ${key.label} (${key.algorithm}, ${shortKeyId(key.keyId)}).` };
    });
  }

  return (
    <form class="key-form" onSubmit={submit} aria-label="Add a signing key">
      <label>
        Public key (PEM)
        <textarea
          value={pem}
          onInput={(e) => setPem(e.currentTarget.value)}
          required
          rows={6}
          class="mono"
          spellcheck={false}
          placeholder={'-----BEGIN PUBLIC KEY-----\n…\n-----END PUBLIC KEY-----'}
        />
      </label>
      <div class="inline-form">
        <label>
          Label
          <input value={label} onInput={(e) => setLabel(e.currentTarget.value)} required maxLength={200} />
        </label>
        <label>
          Not after (optional)
          <input type="datetime-local" value={notAfter} onInput={(e) => setNotAfter(e.currentTarget.value)} />
        </label>
        <button type="submit" disabled={busy}>
          Add key
        </button>
      </div>
      <FormOutcome message={message} />
    </form>
  );
}
