import { useState } from 'preact/hooks';
import { GroupSeatIds, SeatGroupList, SeatIdsBySelector } from '../api/group-documents.js';
import { request } from '../api/http.js';
import { errorText } from '../format.js';
import { useQuery } from '../hooks/use-query.js';

interface Page {
  edges: { node: { id: string } }[];
  pageInfo: { hasNextPage: boolean; endCursor?: string | null };
}

/** Every id of a paged seat list, page after page. */
async function allIds(read: (after: string | null) => Promise<Page | undefined>): Promise<string[]> {
  const ids: string[] = [];
  for (let after: string | null = null; ; ) {
    const page = await read(after);
    if (!page) return ids;
    ids.push(...page.edges.map(({ node }) => node.id));
    if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor) return ids;
    after = page.pageInfo.endCursor;
  }
}

/** Adds to the picked seats every seat of a group, or every seat matching a label selector. */
export function SelectByLabels({ onSelect }: { onSelect(ids: string[]): void }) {
  const groups = useQuery(SeatGroupList, {}).data?.seatGroups ?? [];
  const [group, setGroup] = useState('');
  const [selector, setSelector] = useState('');
  const [message, setMessage] = useState<string>();

  async function pick(read: (after: string | null) => Promise<Page | undefined>) {
    setMessage(undefined);
    try {
      const ids = await allIds(read);
      onSelect(ids);
      setMessage(`${ids.length} seats added to the selection.`);
    } catch (error) {
      setMessage(errorText(error));
    }
  }

  return (
    <div class="seat-picker-tools">
      <label>
        Group
        <select value={group} onChange={(e) => setGroup(e.currentTarget.value)}>
          <option value="">(choose a group)</option>
          {groups.map((g) => (
            <option key={g.name} value={g.name}>
              {g.name} ({g.seatCount})
            </option>
          ))}
        </select>
      </label>
      <button
        type="button"
        disabled={!group}
        onClick={() =>
          pick(async (after) => (await request(GroupSeatIds, { name: group, after })).seatGroup?.seats)
        }
      >
        Select the group's seats
      </button>
      <label>
        Label selector
        <input
          value={selector}
          onInput={(e) => setSelector(e.currentTarget.value)}
          placeholder="site=north"
          autocomplete="off"
          class="mono"
        />
      </label>
      <button
        type="button"
        disabled={!selector.trim()}
        onClick={() => pick(async (after) => (await request(SeatIdsBySelector, { selector, after })).seats)}
      >
        Select matching seats
      </button>
      <span role="status">{message}</span>
    </div>
  );
}
