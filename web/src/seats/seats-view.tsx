import { SeatsPage } from '../api/documents.js';
import { Pager } from '../components/pager.js';
import { formatDate } from '../format.js';
import { useCursorPages } from '../hooks/use-cursor-pages.js';
import { useQuery } from '../hooks/use-query.js';
import { SeatForm } from './seat-form.js';

const PAGE_SIZE = 50;

export function SeatsView() {
  const pages = useCursorPages();
  const { data, error, refetch } = useQuery(SeatsPage, { first: PAGE_SIZE, after: pages.after });
  const connection = data?.seats;

  return (
    <section class="panel" aria-labelledby="seats-title">
      <h2 id="seats-title">Seats</h2>
      <SeatForm onAdded={refetch} />
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
              <th scope="col" class="col-optional">
                Added
              </th>
            </tr>
          </thead>
          <tbody>
            {connection?.edges.map(({ node }) => (
              <tr key={node.id}>
                <td>{node.name}</td>
                <td class="mono">{node.ip}</td>
                <td class="col-optional">{formatDate(node.createdAt)}</td>
              </tr>
            ))}
            {connection && connection.edges.length === 0 && (
              <tr>
                <td colSpan={3} class="empty">
                  No seats yet: add one above.
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
