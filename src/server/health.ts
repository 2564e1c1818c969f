/** Something the service needs before it can do its job: the store, each SDP platform. */
export interface ReadinessProbe {
  readonly name: string;
  /** Resolves with details worth showing an operator; rejects when the dependency is not usable. */
  check(): Promise<Record<string, unknown> | undefined>;
}

export interface ReadinessState {
  /** Set while draining on shutdown so load balancers stop sending new work. */
  stopping: boolean;
}
