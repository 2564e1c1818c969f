/** The dashboard's address of a rollout's live view (the view is in the hash, see app.tsx). */
export function rolloutHref(id: string): string {
  return `#/rollouts/${encodeURIComponent(id)}`;
}

/** The rollout id in the hash, when it names a rollout view. */
export function rolloutIdOfHash(hash: string): string | undefined {
  const match = /^#\/rollouts\/(.+)$/.exec(hash);
  return match?.[1] ? decodeURIComponent(match[1]) : undefined;
}
