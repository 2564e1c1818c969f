import { useState } from 'preact/hooks';
import { request } from '../api/http.js';
import {
  ApproveRolloutRequest,
  CancelRolloutRequest,
  PauseRolloutRequest,
  ResumeRolloutRequest,
  RollbackRolloutRequest,
} from '../api/rollout-control-documents.js';
import { describeError } from '../format.js';
import type { ErrorCode, RolloutState, RolloutViewFieldsFragment } from '../generated/graphql.js';
import { type FormMessage, FormOutcome, useFormAction } from '../hooks/use-form-action.js';

type Answer =
  | { __typename: string; rollout: RolloutViewFieldsFragment }
  | { __typename: string; code: ErrorCode; message: string };

interface Action {
  label: string;
  /** The states seghub accepts it in (rollout-service.ts); the button shows only then. */
  allowed(state: RolloutState, rollout: RolloutViewFieldsFragment): boolean;
  send(id: string, text: string): Promise<Answer>;
  done: string;
}

const FINAL: readonly RolloutState[] = ['SUCCEEDED', 'ROLLED_BACK', 'CANCELLED', 'FAILED'];
const stoppable = (state: RolloutState) => !FINAL.includes(state) && state !== 'ROLLING_BACK';

const ACTIONS: readonly Action[] = [
  {
    label: 'Approve',
    allowed: (state) => state === 'WAITING_APPROVAL',
    send: async (id, note) => (await request(ApproveRolloutRequest, { id, note })).approveRollout,
    done: 'Approved.',
  },
  {
    label: 'Pause',
    allowed: (state) => stoppable(state) && state !== 'PAUSED',
    send: async (id, reason) => (await request(PauseRolloutRequest, { id, reason })).pauseRollout,
    done: 'Paused.',
  },
  {
    // A freeze pause ends by itself when the freeze does (resume answers GROUP_FROZEN until then).
    label: 'Resume',
    allowed: (state, rollout) => state === 'PAUSED' && rollout.pausedCause !== 'FREEZE',
    send: async (id) => (await request(ResumeRolloutRequest, { id })).resumeRollout,
    done: 'Resumed; the failures so far are accepted.',
  },
  {
    label: 'Cancel',
    allowed: stoppable,
    send: async (id, reason) => (await request(CancelRolloutRequest, { id, reason })).cancelRollout,
    done: 'Cancelled; nothing was reverted.',
  },
  {
    label: 'Roll back',
    allowed: (state) => stoppable(state) || state === 'SUCCEEDED',
    send: async (id, reason) => (await request(RollbackRolloutRequest, { id, reason })).rollbackRollout,
    done: 'Rolling back.',
  },
];

interface RolloutActionsProps {
  rollout: RolloutViewFieldsFragment;
  onAnswer(rollout: RolloutViewFieldsFragment): void;
}

/** Approve, pause, resume, cancel and roll back, each offered only while the state allows it. */
export function RolloutActions({ rollout, onAnswer }: RolloutActionsProps) {
  const [text, setText] = useState('');
  const { busy, message, run } = useFormAction();
  const offered = ACTIONS.filter((action) => action.allowed(rollout.state, rollout));

  const act = (action: Action) =>
    run(async (): Promise<FormMessage> => {
      const answer = await action.send(rollout.id, text.trim());
      if ('code' in answer) return { kind: 'error', text: describeError(answer) };
      if (!('rollout' in answer)) return { kind: 'error', text: `${action.label}: unexpected answer` };
      setText('');
      onAnswer(answer.rollout);
      return { kind: 'ok', text: action.done };
    });

  if (offered.length === 0) return <FormOutcome message={message} />;
  return (
    <form
      class="inline-form rollout-actions"
      aria-label="Rollout actions"
      onSubmit={(e) => e.preventDefault()}
    >
      <label>
        Reason or note
        <input
          value={text}
          onInput={(e) => setText(e.currentTarget.value)}
          placeholder="Why (pause, cancel and roll back need one)"
          maxLength={500}
        />
      </label>
      {offered.map((action) => (
        <button
          key={action.label}
          type="button"
          class={action.label === 'Approve' || action.label === 'Resume' ? undefined : 'danger'}
          disabled={busy}
          onClick={() => void act(action)}
        >
          {action.label}
        </button>
      ))}
      <FormOutcome message={message} />
    </form>
  );
}
