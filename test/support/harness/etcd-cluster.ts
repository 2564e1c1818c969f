import { randomUUID } from 'node:crypto';
import { type EtcdProcess, etcdMember } from './etcd.js';
import { freeStablePorts } from './temp.js';
import { waitFor } from './wait-for.js';

/**
 * A throwaway three-member etcd cluster on loopback (issue 29): each member on its own client and
 * peer ports with its own temporary data directory, started together (a member is healthy only
 * once a quorum elects a leader), and helpers to crash one member, find the leader and bring a
 * member back on its data.
 */
export interface EtcdCluster {
  /** Every member's client URL, in member order: what `ETCD_ENDPOINTS` names. */
  readonly endpoints: string[];
  readonly members: readonly EtcdProcess[];
  /** The index of the member the running members agree leads (waits for an election to settle). */
  leader(): Promise<number>;
  /** A running member that does not lead. */
  follower(): Promise<number>;
  /** SIGKILLs member `index`, keeping its data directory. */
  kill(index: number): Promise<void>;
  /** Starts a killed member again on its data; resolves once it serves. */
  restart(index: number): Promise<void>;
  /** SIGSTOPs member `index`: it accepts connections and answers nothing. */
  freeze(index: number): Promise<void>;
  /** Lets a frozen member run again. */
  thaw(index: number): void;
  /** Resolves once every running member answers and they agree on a leader. */
  waitForQuorum(timeoutMs?: number): Promise<void>;
  /** Stops every member and deletes their data directories. */
  stop(): Promise<void>;
}

const QUORUM_DEADLINE_MS = 15_000;

/** Starts a cluster of `size` members (3 unless told) and waits until it has a leader. */
export async function startEtcdCluster(size = 3): Promise<EtcdCluster> {
  // Below the ephemeral range: a killed member starts again on the same ports.
  const ports = await freeStablePorts(size * 2);
  const names = Array.from({ length: size }, (_, i) => `m${i}`);
  const initialCluster = names.map((name, i) => `${name}=http://127.0.0.1:${ports[size + i]}`).join(',');
  const token = `seghub-test-${randomUUID()}`;
  const members = names.map((name, i) =>
    etcdMember({
      name,
      clientPort: ports[i]!,
      peerPort: ports[size + i]!,
      cluster: { initialCluster, token },
    }),
  );
  const cluster = new Cluster(members);
  try {
    await Promise.all(members.map((member) => member.start()));
    await cluster.waitForQuorum();
  } catch (error) {
    await cluster.stop();
    throw error;
  }
  return cluster;
}

/** What `/v3/maintenance/status` (etcd's gRPC gateway) answers; uint64 ids come as strings. */
interface MemberStatus {
  header: { member_id: string };
  leader: string;
}

class Cluster implements EtcdCluster {
  readonly endpoints: string[];
  private readonly down = new Set<number>();

  constructor(readonly members: readonly EtcdProcess[]) {
    this.endpoints = members.map((member) => member.endpoints[0]!);
  }

  async leader(): Promise<number> {
    return waitFor(
      async () => {
        const statuses = await Promise.all(this.running().map((i) => this.status(i)));
        const leaders = new Set(statuses.map((s) => s.leader));
        if (leaders.size !== 1 || statuses.some((s) => s.leader === '0')) return undefined;
        const index = statuses.findIndex((s) => s.header.member_id === statuses[0]!.leader);
        // Index into the running members; +1 keeps member 0 truthy for waitFor.
        return index < 0 ? undefined : this.running()[index]! + 1;
      },
      {
        timeoutMs: QUORUM_DEADLINE_MS,
        intervalMs: 50,
        message: 'the running etcd members agree on a leader',
      },
    ).then((found) => found - 1);
  }

  async follower(): Promise<number> {
    const leader = await this.leader();
    const follower = this.running().find((i) => i !== leader);
    if (follower === undefined) throw new Error('no running etcd member follows');
    return follower;
  }

  async kill(index: number): Promise<void> {
    this.down.add(index);
    await this.members[index]!.halt('SIGKILL');
  }

  async restart(index: number): Promise<void> {
    await this.members[index]!.start();
    this.down.delete(index);
  }

  async freeze(index: number): Promise<void> {
    this.down.add(index);
    await this.members[index]!.freeze();
  }

  thaw(index: number): void {
    this.members[index]!.thaw();
    this.down.delete(index);
  }

  async waitForQuorum(timeoutMs = QUORUM_DEADLINE_MS): Promise<void> {
    await waitFor(
      async () => {
        const healthy = await Promise.all(this.running().map((i) => this.healthy(i)));
        return healthy.every(Boolean);
      },
      { timeoutMs, intervalMs: 50, message: 'every running etcd member healthy' },
    );
    await this.leader();
  }

  async stop(): Promise<void> {
    await Promise.all(this.members.map((member) => member.stop()));
  }

  private running(): number[] {
    return this.members.map((_, i) => i).filter((i) => !this.down.has(i));
  }

  private async status(index: number): Promise<MemberStatus> {
    const response = await fetch(`${this.endpoints[index]}/v3/maintenance/status`, {
      method: 'POST',
      body: '{}',
      signal: AbortSignal.timeout(1000),
    });
    if (!response.ok) throw new Error(`etcd member ${index} status: HTTP ${response.status}`);
    return (await response.json()) as MemberStatus;
  }

  /** etcd's /health is true only on a member that has a leader and can read through the quorum. */
  private async healthy(index: number): Promise<boolean> {
    try {
      const response = await fetch(`${this.endpoints[index]}/health`, { signal: AbortSignal.timeout(1000) });
      return response.ok && ((await response.json()) as { health?: string }).health === 'true';
    } catch {
      return false;
    }
  }
}
