import seedrandom from 'seedrandom';
import { assertInteger } from '@mmm/core';

/** A seeded source of randomness. All state, the Box–Muller spare included, lives inside it. */
export interface Rng {
  /** uniform on (0, 1) with 53 random bits */
  uniform(): number;
  /** standard normal */
  normal(): number;
}

/**
 * A seeded generator for stream `stream` of `seed`: seedrandom's xor4096 (Brent 2006) keyed by both, so chain `c`
 * of a run depends on `(seed, c)` alone and sequential and parallel runs draw the same numbers.
 * @param seed - any integer
 * @param stream - stream index, e.g. the chain; default 0
 * @example
 * createRng(1, 0).uniform() === createRng(1, 0).uniform(); // true
 */
export function createRng(seed: number, stream = 0): Rng {
  assertInteger('seed', seed);
  assertInteger('stream', stream, 0);
  const prng = seedrandom.xor4096(`mmm:${seed}:${stream}`);
  let spare = 0;
  let hasSpare = false;
  const uniform = (): number => {
    let u = prng.double();
    while (u === 0) u = prng.double();
    return u;
  };
  return {
    uniform,
    normal(): number {
      if (hasSpare) {
        hasSpare = false;
        return spare;
      }
      // Box–Muller: two normals from two uniforms, one kept for the next call
      const r = Math.sqrt(-2 * Math.log(uniform()));
      const a = 2 * Math.PI * uniform();
      spare = r * Math.sin(a);
      hasSpare = true;
      return r * Math.cos(a);
    },
  };
}
