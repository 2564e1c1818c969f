import { useEffect, useRef, useState } from 'preact/hooks';
import { request } from '../api/http.js';
import { subscribe } from '../api/live.js';
import { RolloutById, RolloutLive } from '../api/rollout-documents.js';
import { errorText } from '../format.js';
import type { RolloutViewFieldsFragment } from '../generated/graphql.js';

export interface RolloutLiveView {
  rollout?: RolloutViewFieldsFragment;
  /** Counts the versions received: whatever hangs off the rollout (its seats page) asks again when it moves. */
  version: number;
  /** The rollout does not exist. */
  missing: boolean;
  error?: string;
}

const EMPTY: RolloutLiveView = { version: 0, missing: false };

/** The subscription completes at these; a rollback after SUCCEEDED starts it moving again. */
const FINAL = new Set(['SUCCEEDED', 'ROLLED_BACK', 'CANCELLED', 'FAILED']);

/**
 * Follows one rollout over `rolloutUpdated`: the rollout now, then every change; the subscription
 * completes at a final state. A mutation's answer is shown at once through `applyAnswer`; when
 * it moved a final rollout on (a rollback after SUCCEEDED), the view subscribes again.
 */
export function useRollout(id: string) {
  const [view, setView] = useState<RolloutLiveView>(EMPTY);
  const [generation, setGeneration] = useState(0);
  const completed = useRef(false);
  const apply = (rollout: RolloutViewFieldsFragment) =>
    setView((previous) => ({ rollout, version: previous.version + 1, missing: false }));
  const applyAnswer = (rollout: RolloutViewFieldsFragment) => {
    apply(rollout);
    if (completed.current && !FINAL.has(rollout.state)) setGeneration((g) => g + 1);
  };

  useEffect(() => setView(EMPTY), [id]);

  useEffect(() => {
    completed.current = false;
    let events = 0;
    return subscribe(
      RolloutLive,
      { id },
      {
        next: ({ rolloutUpdated }) => {
          events++;
          apply(rolloutUpdated);
        },
        error: (message) => setView((previous) => ({ ...previous, error: message })),
        complete: () => {
          completed.current = true;
          if (events > 0) return;
          // An unknown rollout completes with no event: say so rather than wait forever.
          request(RolloutById, { id }).then(
            ({ rollout }) => (rollout ? apply(rollout) : setView({ ...EMPTY, missing: true })),
            (error: unknown) => setView((previous) => ({ ...previous, error: errorText(error) })),
          );
        },
      },
    );
  }, [id, generation]);

  return { ...view, applyAnswer };
}
