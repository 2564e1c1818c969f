import { useEffect, useState } from 'preact/hooks';
import { RequestError, request } from '../api/http.js';
import { PreviewRolloutSizes } from '../api/rollout-documents.js';
import { errorText, formatDate } from '../format.js';
import type { PreviewRolloutSizesQuery, RolloutInput } from '../generated/graphql.js';
import { useDebounced } from '../hooks/use-debounced.js';

/** Typing pauses this long before seghub is asked again. */
const DEBOUNCE_MS = 300;

type Preview = PreviewRolloutSizesQuery['previewRollout'];

/** What previewRollout answers: the wave sizes, or the refusal createRollout would give (code and words). */
type Outcome = { preview: Preview } | { refusal: string } | undefined;

/** How many seats each wave would get, asked again (debounced) as the form changes. */
export function RolloutPreview({ input }: { input: RolloutInput | null }) {
  const key = useDebounced(input && JSON.stringify(input), DEBOUNCE_MS);
  const [outcome, setOutcome] = useState<Outcome>();

  useEffect(() => {
    if (!key) {
      setOutcome(undefined);
      return;
    }
    const abort = new AbortController();
    request(PreviewRolloutSizes, { input: JSON.parse(key) as RolloutInput }, abort.signal).then(
      ({ previewRollout }) => setOutcome({ preview: previewRollout }),
      (error: unknown) => {
        if (abort.signal.aborted) return;
        const code = error instanceof RequestError && error.code ? `${error.code}: ` : '';
        setOutcome({ refusal: `${code}${errorText(error)}` });
      },
    );
    return () => abort.abort();
  }, [key]);

  return (
    <section class="rollout-preview" aria-label="Preview" aria-live="polite">
      <h3>Preview</h3>
      {!input && <p class="muted">Pick a segment version and a group or selector.</p>}
      {input && outcome && 'refusal' in outcome && (
        <p class="message error" role="alert">
          {outcome.refusal}
        </p>
      )}
      {input && outcome && 'preview' in outcome && <PreviewSizes preview={outcome.preview} />}
    </section>
  );
}

function PreviewSizes({ preview }: { preview: Preview }) {
  return (
    <>
      <p>
        {preview.seatCount} seats · {preview.skipped} already run it (skipped)
        {preview.firstWindowAt && ` · first window ${formatDate(preview.firstWindowAt)}`}
      </p>
      <ol aria-label="Seats per wave">
        {preview.waves.map((wave) => (
          <li key={wave.index}>
            Wave {wave.index + 1}: {wave.seatCount} {wave.seatCount === 1 ? 'seat' : 'seats'}
          </li>
        ))}
      </ol>
    </>
  );
}
