import { useEffect } from 'preact/hooks';
import { RolloutsPage } from '../api/rollout-documents.js';
import { Pager } from '../components/pager.js';
import { formatDate } from '../format.js';
import { useCursorPages } from '../hooks/use-cursor-pages.js';
import { useQuery } from '../hooks/use-query.js';
import { rolloutHref } from './rollout-links.js';

const PAGE_SIZE = 20;
/** States move without a list subscription: the list asks again this often. */
const REFRESH_MS = 2000;

/** Rollouts, newest first, optionally of one group only (its history). */
export function RolloutList({ group, label }: { group?: string; label: string }) {
  const pages = useCursorPages();
  const { data, error, refetch } = useQuery(RolloutsPage, {
    first: PAGE_SIZE,
    after: pages.after,
    filter: group ? { group } : null,
  });
  useEffect(() => {
    const timer = setInterval(refetch, REFRESH_MS);
    return () => clearInterval(timer);
  }, [refetch]);
  const connection = data?.rollouts;

  return (
    <>
      {error && (
        <p class="message error" role="alert">
          {error}
        </p>
      )}
      <div class="table-wrap">
        <table aria-label={label}>
          <thead>
            <tr>
              <th scope="col">Segment</th>
              <th scope="col">Target</th>
              <th scope="col">State</th>
              <th scope="col">Done</th>
              <th scope="col">Created</th>
              <th scope="col">Finished</th>
            </tr>
          </thead>
          <tbody>
            {connection?.nodes.map((rollout) => (
              <tr key={rollout.id}>
                <td>
                  <a href={rolloutHref(rollout.id)}>
                    {rollout.segmentName} {rollout.version}
                  </a>
                </td>
                <td class="mono">{rollout.group ? `group ${rollout.group}` : rollout.selector}</td>
                <td>
                  <span class={`badge badge-${rollout.state.toLowerCase()}`}>{rollout.state}</span>
                </td>
                <td class="num">{rollout.percent} %</td>
                <td>
                  {formatDate(rollout.createdAt)} · {rollout.createdBy}
                </td>
                <td>{formatDate(rollout.finishedAt)}</td>
              </tr>
            ))}
            {connection?.nodes.length === 0 && (
              <tr>
                <td colSpan={6} class="empty">
                  No rollouts yet.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      <Pager
        noun="rollouts"
        page={pages.page}
        hasPrevious={pages.hasPrevious}
        hasNext={connection?.pageInfo.hasNextPage ?? false}
        onPrevious={pages.previous}
        onNext={() => connection?.pageInfo.endCursor && pages.next(connection.pageInfo.endCursor)}
      />
    </>
  );
}
