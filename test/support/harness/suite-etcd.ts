import { type EtcdProcess, startEtcd } from './etcd.js';
import { type EtcdCluster, startEtcdCluster } from './etcd-cluster.js';

/**
 * The etcd a fault suite runs on, one member or the three-member cluster (issue 29), and what
 * crashing "etcd" under load means on each. The suites that take it run some of their cases on
 * each; which, and why, each suite says.
 */
export interface SuiteEtcd {
  readonly members: 1 | 3;
  /** What `ETCD_ENDPOINTS` names: every member. */
  readonly endpoints: string[];
  /**
   * Crashes etcd under load and says what it did. One member is SIGKILLed and started again on its
   * data. In the cluster a member is SIGKILLed, the leader and a follower in turn, and stays down
   * until the next crash (or `recover`) starts it again: the work between runs on two members.
   */
  crash(): Promise<string>;
  /** Starts a member still down from the last crash; resolves once every member serves. */
  recover(): Promise<void>;
  stop(): Promise<void>;
}

export async function startSuiteEtcd(members: 1 | 3): Promise<SuiteEtcd> {
  return members === 1 ? new SingleEtcd(await startEtcd()) : new ClusterEtcd(await startEtcdCluster());
}

class SingleEtcd implements SuiteEtcd {
  readonly members = 1;

  constructor(private readonly etcd: EtcdProcess) {}

  get endpoints(): string[] {
    return this.etcd.endpoints;
  }

  async crash(): Promise<string> {
    await this.etcd.halt('SIGKILL');
    await this.etcd.start();
    return 'etcd SIGKILLed and started again';
  }

  async recover(): Promise<void> {}

  stop(): Promise<void> {
    return this.etcd.stop();
  }
}

class ClusterEtcd implements SuiteEtcd {
  readonly members = 3;
  private down: number | undefined;
  private crashes = 0;

  constructor(private readonly cluster: EtcdCluster) {}

  get endpoints(): string[] {
    return this.cluster.endpoints;
  }

  async crash(): Promise<string> {
    await this.recover();
    const role = this.crashes++ % 2 === 0 ? 'leader' : 'follower';
    const index = role === 'leader' ? await this.cluster.leader() : await this.cluster.follower();
    await this.cluster.kill(index);
    this.down = index;
    return `etcd ${role} (member ${index}) SIGKILLed`;
  }

  async recover(): Promise<void> {
    if (this.down === undefined) return;
    await this.cluster.restart(this.down);
    this.down = undefined;
    await this.cluster.waitForQuorum();
  }

  stop(): Promise<void> {
    return this.cluster.stop();
  }
}
