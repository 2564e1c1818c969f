import { useState } from 'preact/hooks';
import { errorText } from '../format.js';

export interface FormMessage {
  readonly kind: 'ok' | 'error';
  readonly text: string;
}

/**
 * What every dashboard form does on submit: busy while `action` runs, then the line it returns
 * (what was saved, or a typed error in words); a failed request becomes an error line too.
 */
export function useFormAction() {
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<FormMessage>();
  async function run(action: () => Promise<FormMessage>): Promise<void> {
    setBusy(true);
    setMessage(undefined);
    try {
      setMessage(await action());
    } catch (error) {
      setMessage({ kind: 'error', text: errorText(error) });
    } finally {
      setBusy(false);
    }
  }
  return { busy, message, run };
}

/** The outcome line under a form: read out politely when it went well, as an alert when not. */
export function FormOutcome({ message }: { message: FormMessage | undefined }) {
  const error = message?.kind === 'error';
  return (
    <p class={error ? 'message error' : 'message'} role={error ? 'alert' : 'status'}>
      {message?.text}
    </p>
  );
}
