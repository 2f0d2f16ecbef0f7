/**
 * The mock's own seeded generator behind its fault draws (mulberry32, 32-bit state): the same seed
 * always gives the same numbers in [0, 1), which Math.random cannot. Kept inside the mock so that
 * it depends on nothing outside its folder.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 0x1_0000_0000;
  };
}
