/**
 * A seeded pseudo-random source (mulberry32), so a simulator run with `SDP_SIM_SEED` set fails the
 * same devices and injects the same faults every time.
 */
export type Random = () => number;

export function seededRandom(seed: number = Date.now()): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
