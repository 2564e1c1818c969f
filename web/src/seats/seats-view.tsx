import { useEffect, useState } from 'preact/hooks';
import { LabelledSeatsPage } from '../api/group-documents.js';
import { Pager } from '../components/pager.js';
import { formatDate } from '../format.js';
import { useCursorPages } from '../hooks/use-cursor-pages.js';
import { useDebounced } from '../hooks/use-debounced.js';
import { useQuery } from '../hooks/use-query.js';
import { LabelSeatsForm } from './label-seats-form.js';
import { formatLabel } from './label-text.js';
import { SeatForm } from './seat-form.js';

const PAGE_SIZE = 50;

export function SeatsView() {
  const pages = useCursorPages();
  const [selectorText, setSelectorText] = useState('');
  const selector = useDebounced(selectorText.trim(), 300);
  // A new selector starts again at the first page.
  useEffect(() => pages.reset(), [selector]);
  const { data, error, refetch } = useQuery(LabelledSeatsPage, {
    first: PAGE_SIZE,
    after: pages.after,
    selector: selector || null,
  });
  const connection = data?.seats;

  return (
    <section class="panel" aria-labelledby="seats-title">
      <h2 id="seats-title">Seats</h2>
      <SeatForm onAdded={refetch} />
      <form class="inline-form" aria-label="Filter seats" onSubmit={(e) => e.preventDefault()}>
        <label>
          Label selector
          <input
            value={selectorText}
            onInput={(e) => setSelectorText(e.currentTarget.value)}
            placeholder="site=north,role in (bridge,engine)"
            autocomplete="off"
            class="mono"
          />
        </label>
      </form>
      <LabelSeatsForm selector={selector} onDone={refetch} />
      {error && (
        <p class="message error" role="alert">
          {error}
        </p>
      )}
      <div class="table-wrap">
        <table aria-label="Seats">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">IP address</th>
              <th scope="col">Labels</th>
              <th scope="col">Groups</th>
              <th scope="col" class="col-optional">
                Added
              </th>
            </tr>
          </thead>
          <tbody>
            {connection?.edges.map(({ node }) => (
              <tr key={node.id}>
                <td title={node.description ?? undefined}>{node.name}</td>
                <td class="mono">{node.ip}</td>
                <td class="mono">{node.labels.map(formatLabel).join(', ')}</td>
                <td>{node.groups.join(', ')}</td>
                <td class="col-optional">{formatDate(node.createdAt)}</td>
              </tr>
            ))}
            {connection && connection.edges.length === 0 && (
              <tr>
                <td colSpan={5} class="empty">
                  {selector ? 'No seat matches this selector.' : 'No seats yet: add one above.'}
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      <Pager
        noun="seats"
        page={pages.page}
        totalCount={connection?.totalCount}
        hasPrevious={pages.hasPrevious}
        hasNext={connection?.pageInfo.hasNextPage ?? false}
        onPrevious={pages.previous}
        onNext={() => connection?.pageInfo.endCursor && pages.next(connection.pageInfo.endCursor)}
      />
    </section>
  );
}
