/**
 * The simulator's seeded random numbers: one 32-bit generator (SplitMix32 mixing of a Weyl sequence, the same
 * construction as the devnet's statement generator) and the distributions the network model draws from.
 *
 * Every draw of a run comes from one generator seeded by the run's seed, in the order the events are processed, so a
 * (configuration, seed) pair always gives the same blocks, forks and propagation times on every machine. Two runs that
 * differ only in block size or validation time draw the same topology, regions and mining powers (they are drawn
 * first, before any block exists), which is what makes a PQ-against-legacy comparison with "the same seeds" fair.
 */

export interface Prng {
  /** Uniform on [0, 1). */
  next(): number;
  /** Uniform on (0, 1]: safe under a logarithm or a negative power. */
  nextOpen(): number;
  /** Exponential with the given mean. */
  exponential(mean: number): number;
  /** Normal (Box–Muller). */
  normal(mean: number, stdev: number): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
}

export function createPrng(seed: number): Prng {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const nextOpen = () => 1 - next();
  return {
    next,
    nextOpen,
    exponential: (mean) => -Math.log(nextOpen()) * mean,
    normal: (mean, stdev) => mean + stdev * Math.sqrt(-2 * Math.log(nextOpen())) * Math.cos(2 * Math.PI * next()),
    int: (n) => Math.floor(next() * n),
  };
}

/**
 * Index drawn from a cumulative distribution (non-decreasing, last entry 1): the first i with u < cdf[i].
 * Binary search, so region and degree tables of any length cost O(log n) per draw.
 */
export function drawFromCdf(cdf: readonly number[], u: number): number {
  let lo = 0;
  let hi = cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (u < cdf[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Cumulative sums of non-negative weights, normalized so the last entry is exactly 1. */
export function cumulative(weights: readonly number[]): number[] {
  const total = weights.reduce((s, w) => s + w, 0);
  if (!(total > 0)) throw new RangeError("cumulative: the weights must have a positive sum");
  let sum = 0;
  const out = weights.map((w) => {
    if (!(w >= 0)) throw new RangeError(`cumulative: weight ${w} is negative or not a number`);
    sum += w;
    return sum / total;
  });
  out[out.length - 1] = 1;
  return out;
}

/**
 * A uniform draw on (0, 1] that depends only on its inputs (a counter-based generator: the four words are mixed
 * with MurmurHash3's 32-bit finalizer). The simulator draws each message's latency from (seed, block, sender,
 * receiver, message kind), so two runs that differ only in block size or validation time give the same message on
 * the same link the same latency: "common random numbers", which turns a PQ-against-legacy comparison into a
 * paired one instead of two unrelated samples.
 */
export function hashUniform(seed: number, a: number, b: number, c: number, d: number): number {
  let h = mixWord(seed >>> 0, a);
  h = mixWord(h, b);
  h = mixWord(h, c);
  h = mixWord(h, d);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return ((h >>> 0) + 1) / 4294967296;
}

function mixWord(h: number, k: number): number {
  let x = Math.imul(k | 0, 0xcc9e2d51);
  x = (x << 15) | (x >>> 17);
  x = Math.imul(x, 0x1b873593);
  h ^= x;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}
