import { useState } from 'preact/hooks';
import { request } from '../api/http.js';
import { describeError } from '../format.js';
import type { ErrorCode, Lifecycle, SegmentTrustViewFieldsFragment } from '../generated/graphql.js';
import { type FormMessage, useFormAction } from '../hooks/use-form-action.js';
import {
  DeprecateSegmentRequest,
  MarkSegmentTestedRequest,
  ReleaseSegmentRequest,
  VerifySegmentFileRequest,
} from './trust-documents.js';

type Answer =
  | { __typename: string; segment: SegmentTrustViewFieldsFragment }
  | { __typename: string; code: ErrorCode; message: string; reasons?: readonly string[] };

interface Action {
  label: string;
  /** The lifecycles it makes sense in; seghub still judges (the refusal is shown). */
  offered(lifecycle: Lifecycle): boolean;
  /** A reason is required (deprecate, mark tested); release takes an optional note. */
  needsText: boolean;
  send(id: string, text: string): Promise<Answer>;
  /** The line shown once seghub accepted it, from the segment as it now is. */
  done(segment: SegmentTrustViewFieldsFragment): FormMessage;
  danger?: boolean;
}

const ACTIONS: readonly Action[] = [
  {
    label: 'Mark tested',
    offered: (lifecycle) => lifecycle === 'DRAFT',
    needsText: true,
    send: async (id, reason) => (await request(MarkSegmentTestedRequest, { id, reason })).markSegmentTested,
    done: () => ({ kind: 'ok', text: 'Marked tested.' }),
  },
  {
    // Offered on DRAFT too: the refusal lists what the promotion gate still waits for.
    label: 'Release',
    offered: (lifecycle) => lifecycle === 'DRAFT' || lifecycle === 'TESTED',
    needsText: false,
    send: async (id, note) =>
      (await request(ReleaseSegmentRequest, { id, note: note || null })).releaseSegment,
    done: () => ({ kind: 'ok', text: 'Released.' }),
  },
  {
    label: 'Deprecate',
    offered: (lifecycle) => lifecycle !== 'DEPRECATED',
    needsText: true,
    send: async (id, reason) => (await request(DeprecateSegmentRequest, { id, reason })).deprecateSegment,
    done: () => ({ kind: 'ok', text: 'Deprecated: no new installs or rollouts.' }),
    danger: true,
  },
  {
    // Re-hashes the stored file now; a right file lifts a TAMPERED block (D11).
    label: 'Verify file',
    offered: () => true,
    needsText: false,
    send: async (id) => (await request(VerifySegmentFileRequest, { id })).verifySegmentFile,
    done: ({ integrity }) =>
      integrity.status === 'TAMPERED'
        ? {
            kind: 'error',
            text: `The stored file does not match its SHA-256: ${integrity.reason ?? 'changed'}.`,
          }
        : { kind: 'ok', text: 'The stored file matches its SHA-256.' },
  },
];

interface LifecycleActionsProps {
  segment: SegmentTrustViewFieldsFragment;
  onAnswer(segment: SegmentTrustViewFieldsFragment): void;
}

/** The admin's lifecycle moves; each answers the segment as it now is, or the typed refusal in words. */
export function LifecycleActions({ segment, onAnswer }: LifecycleActionsProps) {
  const [text, setText] = useState('');
  const [reasons, setReasons] = useState<readonly string[]>([]);
  const { busy, message, run } = useFormAction();
  const offered = ACTIONS.filter((action) => action.offered(segment.lifecycle));

  const act = (action: Action) =>
    run(async (): Promise<FormMessage> => {
      setReasons([]);
      const typed = text.trim();
      if (action.needsText && !typed) return { kind: 'error', text: `${action.label}: give a reason first.` };
      const answer = await action.send(segment.id, typed);
      if ('code' in answer) {
        setReasons(answer.reasons ?? []);
        return { kind: 'error', text: `${action.label} refused. ${describeError(answer)}` };
      }
      setText('');
      onAnswer(answer.segment);
      return action.done(answer.segment);
    });

  const error = message?.kind === 'error';
  return (
    <form
      class="inline-form lifecycle-actions"
      aria-label="Lifecycle actions"
      onSubmit={(e) => e.preventDefault()}
    >
      <label>
        Reason or note
        <input
          value={text}
          onInput={(e) => setText(e.currentTarget.value)}
          placeholder="Why (mark tested and deprecate need one)"
          maxLength={500}
        />
      </label>
      {offered.map((action) => (
        <button
          key={action.label}
          type="button"
          class={action.danger ? 'danger' : undefined}
          disabled={busy}
          onClick={() => void act(action)}
        >
          {action.label}
        </button>
      ))}
      <div class={error ? 'message error' : 'message'} role={error ? 'alert' : 'status'}>
        {message?.text}
        {error && reasons.length > 0 && (
          <ul aria-label="Why not">
            {reasons.map((reason) => (
              <li key={reason}>{reason}</li>
            ))}
          </ul>
        )}
      </div>
    </form>
  );
}
