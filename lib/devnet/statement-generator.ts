/**
 * A deterministic generator of plausible mathematical statements for the devnet and for tests and benchmarks.
 *
 * Same seed, same block number → same statements, on every machine: a devnet restarted from scratch rebuilds the
 * same chain contents, and tests can name the exact statements they expect. Uses a small PRNG (mulberry32) rather
 * than Math.random so nothing depends on the runtime.
 */

/** mulberry32: a 32-bit PRNG, good enough to vary text; not for anything secret. */
export function createPrng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KINDS = ["theorem", "lemma", "proposition", "corollary", "claim"] as const;
const VARS = ["n", "m", "k", "x", "y", "a", "b", "p", "q"];
const SETS = ["ℕ", "ℤ", "ℚ", "ℝ"];

type Template = (r: () => number, pick: <T>(xs: readonly T[]) => T, int: (lo: number, hi: number) => number) => string;

const TEMPLATES: Template[] = [
  (_, pick) => {
    const v = pick(VARS);
    return `∀ ${v} ∈ ${pick(SETS)}, ${v} + 0 = ${v}`;
  },
  (_, pick) => {
    const [a, b] = [pick(VARS), pick(VARS)];
    return `∀ ${a} ${b} ∈ ${pick(SETS)}, ${a} + ${b} = ${b} + ${a}`;
  },
  (_, pick, int) => {
    const n = int(2, 60);
    return `∑_{i=1}^{${n}} i = ${(n * (n + 1)) / 2}`;
  },
  (_, __, int) => {
    const p = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47][int(0, 14)];
    const a = int(2, 40);
    return `${a}^${p} ≡ ${a} (mod ${p})`;
  },
  (_, pick) => {
    const v = pick(VARS);
    return `∀ ${v} ∈ ℝ, ${v}² ≥ 0`;
  },
  (_, __, int) => {
    const a = int(2, 200);
    const b = int(2, 200);
    const g = gcd(a, b);
    return `gcd(${a}, ${b}) = ${g}`;
  },
  (_, pick) => {
    const [a, b, c] = [pick(VARS), pick(VARS), pick(VARS)];
    return `∀ ${a} ${b} ${c} ∈ ${pick(SETS)}, (${a} · ${b}) · ${c} = ${a} · (${b} · ${c})`;
  },
  (_, __, int) => {
    const n = int(1, 12);
    return `${n}! = ${factorial(n)}`;
  },
  (_, pick) => `¬(∃ q ∈ ℚ, q² = ${pick(["2", "3", "5", "7"])})`,
  (_, __, int) => {
    const n = int(3, 30);
    return `the sum of the interior angles of a convex ${n}-gon is ${(n - 2) * 180}°`;
  },
  (_, pick) => {
    const v = pick(VARS);
    return `∀ ${v} ∈ ℕ, ${v} < 2^${v}`;
  },
  (_, __, int) => {
    const a = int(1, 30);
    const b = int(1, 30);
    return `(${a} + ${b})² = ${a}² + 2·${a}·${b} + ${b}² = ${(a + b) ** 2}`;
  },
];

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

function factorial(n: number): number {
  return n <= 1 ? 1 : n * factorial(n - 1);
}

/** One statement, e.g. "lemma_4711: ∀ n ∈ ℕ, n + 0 = n". */
function statement(r: () => number, label: number): string {
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const body = pick(TEMPLATES)(r, pick, int);
  return `${pick(KINDS)}_${label}: ${body}`;
}

export interface StatementBatchOptions {
  seed: number;
  blockNumber: number;
  /** Inclusive range of the statement count (default 1..12). */
  minCount?: number;
  maxCount?: number;
}

/** The statements of one devnet block: deterministic in (seed, blockNumber). */
export function generateStatements(options: StatementBatchOptions): string[] {
  const r = createPrng((options.seed * 1_000_003 + options.blockNumber) >>> 0);
  const min = options.minCount ?? 1;
  const max = options.maxCount ?? 12;
  const count = min + Math.floor(r() * (max - min + 1));
  return Array.from({ length: count }, (_, i) => statement(r, options.blockNumber * 100 + i));
}

/** Exactly `count` statements (benchmarks need fixed sizes). */
export function generateFixedStatements(seed: number, count: number): string[] {
  const r = createPrng(seed >>> 0);
  return Array.from({ length: count }, (_, i) => statement(r, i));
}
