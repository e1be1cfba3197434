/**
 * The Wilson score interval for a binomial proportion (Wilson 1927; Brown, Cai & DasGupta 2001 recommend it over
 * the normal approximation for small counts): the fork rate of a simulation run is a handful of orphans in a
 * thousand blocks, where the normal interval is too narrow and can go below zero.
 */

/** z for a two-sided 95 % interval. */
export const Z_95 = 1.959963984540054;

export interface ProportionInterval {
  /** successes / trials */
  estimate: number;
  low: number;
  high: number;
}

export function wilsonInterval(successes: number, trials: number, z = Z_95): ProportionInterval {
  if (!Number.isInteger(trials) || trials <= 0) throw new RangeError(`trials ${trials} must be a positive integer`);
  if (!Number.isInteger(successes) || successes < 0 || successes > trials) throw new RangeError(`successes ${successes} must be an integer in 0..${trials}`);
  const p = successes / trials;
  const z2 = z * z;
  const denominator = 1 + z2 / trials;
  const centre = (p + z2 / (2 * trials)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials))) / denominator;
  return { estimate: p, low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}
