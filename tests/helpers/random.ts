// Seeded randomness for tests and benchmarks, so random inputs are reproducible from a seed.

export { mulberry32 } from "../../prisma/random.ts";

/** A source of uniform numbers in [0, 1). */
export type Rng = () => number;

/** A whole number from `lo` to `hi`, both included. */
export const int = (rng: Rng, lo: number, hi: number): number => lo + Math.floor(rng() * (hi - lo + 1));

/** One item of a non-empty list, chosen uniformly. */
export function pick<T>(rng: Rng, items: readonly T[]): T {
  const item = items[Math.floor(rng() * items.length)];
  if (item === undefined) throw new Error("pick from an empty list");
  return item;
}
