import { NEW_WAVE, type WaveDraft } from './rollout-input.js';

interface WaveFieldsProps {
  waves: readonly WaveDraft[];
  onChange(waves: readonly WaveDraft[]): void;
}

/** The waves of a new rollout, in order: a size for each but the last (it takes the rest). */
export function WaveFields({ waves, onChange }: WaveFieldsProps) {
  const update = (index: number, change: Partial<WaveDraft>) =>
    onChange(waves.map((wave, i) => (i === index ? { ...wave, ...change } : wave)));
  return (
    <fieldset class="waves">
      <legend>Waves</legend>
      <ol>
        {waves.map((wave, i) => {
          const n = i + 1;
          const last = i === waves.length - 1;
          return (
            <li key={i} class="inline-form">
              <strong>Wave {n}</strong>
              {last ? (
                <span class="muted">takes the rest</span>
              ) : (
                <>
                  <input
                    type="number"
                    min="0"
                    step="any"
                    aria-label={`Wave ${n} size`}
                    value={wave.size}
                    onInput={(e) => update(i, { size: e.currentTarget.value })}
                  />
                  <select
                    aria-label={`Wave ${n} unit`}
                    value={wave.unit}
                    onChange={(e) => update(i, { unit: e.currentTarget.value as WaveDraft['unit'] })}
                  >
                    <option value="seats">seats</option>
                    <option value="percent">%</option>
                  </select>
                </>
              )}
              <label>
                Soak seconds
                <input
                  type="number"
                  min="0"
                  aria-label={`Wave ${n} soak seconds`}
                  value={wave.soakSeconds}
                  onInput={(e) => update(i, { soakSeconds: e.currentTarget.value })}
                />
              </label>
              <label>
                <input
                  type="checkbox"
                  aria-label={`Wave ${n} requires approval`}
                  checked={wave.requireApproval}
                  onChange={(e) => update(i, { requireApproval: e.currentTarget.checked })}
                />
                Requires approval
              </label>
              {waves.length > 1 && (
                <button
                  type="button"
                  aria-label={`Remove wave ${n}`}
                  onClick={() => onChange(waves.filter((_, j) => j !== i))}
                >
                  Remove
                </button>
              )}
            </li>
          );
        })}
      </ol>
      <button type="button" onClick={() => onChange([...waves, NEW_WAVE])}>
        Add wave
      </button>
    </fieldset>
  );
}
