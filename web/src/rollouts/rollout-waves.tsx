import { useEffect, useState } from 'preact/hooks';
import type { RolloutViewFieldsFragment } from '../generated/graphql.js';

type Wave = RolloutViewFieldsFragment['waves'][number];

/** Each wave with its size, state and counts; a soaking wave counts down to its `soakUntil`. */
export function RolloutWaves({ rollout }: { rollout: RolloutViewFieldsFragment }) {
  return (
    <div class="table-wrap">
      <table aria-label="Waves">
        <thead>
          <tr>
            <th scope="col">Wave</th>
            <th scope="col">Seats</th>
            <th scope="col">State</th>
            <th scope="col">Succeeded</th>
            <th scope="col">Failed</th>
            <th scope="col">Soak</th>
            <th scope="col">Approval</th>
          </tr>
        </thead>
        <tbody>
          {rollout.waves.map((wave) => (
            <tr key={wave.index} aria-current={wave.index === rollout.currentWave ? 'step' : undefined}>
              <th scope="row">Wave {wave.index + 1}</th>
              <td class="num">{wave.seatCount}</td>
              <td>
                <span class={`badge badge-${wave.state.toLowerCase()}`}>{wave.state}</span>
              </td>
              <td class="num">{wave.succeeded}</td>
              <td class="num">{wave.failed}</td>
              <td class="num">
                <Soak wave={wave} />
              </td>
              <td>{approvalOf(rollout, wave)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function approvalOf(rollout: RolloutViewFieldsFragment, wave: Wave): string {
  if (!wave.requireApproval) return '—';
  const given = rollout.approvals.find((approval) => approval.wave === wave.index);
  if (given) return `approved by ${given.by}`;
  return rollout.state === 'WAITING_APPROVAL' && rollout.currentWave === wave.index ? 'waiting' : 'required';
}

function Soak({ wave }: { wave: Wave }) {
  if (wave.state === 'SOAKING' && wave.soakUntil) return <Countdown until={wave.soakUntil} />;
  return <>{wave.soakSeconds > 0 ? `${wave.soakSeconds} s` : '—'}</>;
}

/** Seconds left until `until`, ticking each second in this browser (seghub sends only the end). */
function Countdown({ until }: { until: string }) {
  const end = Date.parse(until);
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const left = Math.max(0, Math.ceil((end - now) / 1000));
  return <span>{left} s left</span>;
}
