import { useEffect, useState } from 'preact/hooks';
import { SeatGroupList, SeatGroupMembers } from '../api/group-documents.js';
import { Pager } from '../components/pager.js';
import { useCursorPages } from '../hooks/use-cursor-pages.js';
import { useQuery } from '../hooks/use-query.js';
import { RolloutList } from '../rollouts/rollout-list.js';
import { GroupForm } from './group-form.js';

const PAGE_SIZE = 50;
/** Drift changes as converge works; no subscription reports it, so the view asks again this often. */
const REFRESH_MS = 2000;

/** Seat groups: named selectors, their seat counts, and the members of the one selected. */
export function GroupsView() {
  const { data, error, refetch } = useQuery(SeatGroupList, {});
  useEffect(() => {
    const timer = setInterval(refetch, REFRESH_MS);
    return () => clearInterval(timer);
  }, [refetch]);
  const [selected, setSelected] = useState<string>();
  const groups = data?.seatGroups;

  return (
    <section class="panel" aria-labelledby="groups-title">
      <h2 id="groups-title">Groups</h2>
      <GroupForm onSaved={refetch} />
      {error && (
        <p class="message error" role="alert">
          {error}
        </p>
      )}
      <div class="table-wrap">
        <table aria-label="Groups">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Selector</th>
              <th scope="col">Seats</th>
              <th scope="col">Protected</th>
              <th scope="col">Desired versions</th>
            </tr>
          </thead>
          <tbody>
            {groups?.map((group) => (
              <tr key={group.name} aria-selected={group.name === selected}>
                <td>
                  <button type="button" class="link" onClick={() => setSelected(group.name)}>
                    {group.name}
                  </button>
                </td>
                <td class="mono">{group.selector || '(every seat)'}</td>
                <td>{group.seatCount}</td>
                <td>{group.protected ? 'yes' : 'no'}</td>
                <td>
                  {group.desiredVersions.map((desired) => (
                    <span key={desired.name} class="desired" title={desired.convergeError ?? undefined}>
                      {desired.name} {desired.version} · drift {desired.drift}
                    </span>
                  ))}
                </td>
              </tr>
            ))}
            {groups && groups.length === 0 && (
              <tr>
                <td colSpan={5} class="empty">
                  No groups yet: create one above.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      {selected && <GroupMembers key={selected} name={selected} />}
      {selected && (
        <section aria-labelledby="group-rollouts-title">
          <h3 id="group-rollouts-title">Rollouts of {selected}</h3>
          <RolloutList key={selected} group={selected} label={`Rollouts of ${selected}`} />
        </section>
      )}
    </section>
  );
}

function GroupMembers({ name }: { name: string }) {
  const pages = useCursorPages();
  const { data, error } = useQuery(SeatGroupMembers, { name, first: PAGE_SIZE, after: pages.after });
  const connection = data?.seatGroup?.seats;
  return (
    <section aria-labelledby="members-title">
      <h3 id="members-title">Seats in {name}</h3>
      {error && (
        <p class="message error" role="alert">
          {error}
        </p>
      )}
      <ul aria-label={`Seats in ${name}`} class="members">
        {connection?.edges.map(({ node }) => (
          <li key={node.id}>
            {node.name} <span class="mono">{node.ip}</span>
          </li>
        ))}
      </ul>
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
