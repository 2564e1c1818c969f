import { useEffect, useRef, useState } from 'preact/hooks';
import type { SeatChoice } from '../seats/use-all-seats.js';
import { SelectByLabels } from './select-by-labels.js';

const MAX_ROWS = 200;

interface SeatPickerProps {
  seats: readonly SeatChoice[];
  selected: ReadonlySet<string>;
  onChange(selected: Set<string>): void;
  disabled?: boolean;
}

/** Search, select every match at once, or tick seats one by one. */
export function SeatPicker({ seats, selected, onChange, disabled }: SeatPickerProps) {
  const [search, setSearch] = useState('');
  const term = search.trim().toLowerCase();
  const matching = term ? seats.filter((s) => s.name.includes(term) || s.ip.includes(term)) : seats;
  const selectedMatching = matching.filter((s) => selected.has(s.id)).length;
  const allMatching = matching.length > 0 && selectedMatching === matching.length;
  const selectAll = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (selectAll.current) selectAll.current.indeterminate = selectedMatching > 0 && !allMatching;
  }, [selectedMatching, allMatching]);

  function toggleAll() {
    const next = new Set(selected);
    for (const seat of matching) {
      if (allMatching) next.delete(seat.id);
      else next.add(seat.id);
    }
    onChange(next);
  }

  function toggle(id: string) {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    onChange(next);
  }

  return (
    <fieldset class="seat-picker" disabled={disabled}>
      <legend>Seats</legend>
      <SelectByLabels onSelect={(ids) => onChange(new Set([...selected, ...ids]))} />
      <div class="seat-picker-tools">
        <label>
          Search seats
          <input type="search" value={search} onInput={(e) => setSearch(e.currentTarget.value)} />
        </label>
        <label class="check">
          <input ref={selectAll} type="checkbox" checked={allMatching} onChange={toggleAll} />
          {term ? 'Select all matching seats' : 'Select all seats'}
        </label>
      </div>
      <ul class="seat-choices">
        {matching.slice(0, MAX_ROWS).map((seat) => (
          <li key={seat.id}>
            <label class="check">
              <input type="checkbox" checked={selected.has(seat.id)} onChange={() => toggle(seat.id)} />
              <span>{seat.name}</span>
              <span class="muted mono">{seat.ip}</span>
            </label>
          </li>
        ))}
        {matching.length === 0 && (
          <li class="muted">
            {seats.length === 0 ? 'No seats yet: add some under Seats.' : 'No seat matches.'}
          </li>
        )}
      </ul>
      {matching.length > MAX_ROWS && (
        <p class="muted">
          {MAX_ROWS} of {matching.length} matching seats shown: search to narrow them down.
        </p>
      )}
    </fieldset>
  );
}
