/**
 * mulberry32: a tiny 32-bit PRNG, enough to make sequences reproducible from a seed (generated
 * test data, the benchmark's bodies); Math.random cannot be seeded. Returns
 * numbers in [0, 1). The mock Ometria keeps its own generator (src/mock-ometria/state/random.ts),
 * so a test that predicts the mock's fault draws with this one checks the mock rather than
 * sharing its code.
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 0x1_0000_0000;
  };
}
