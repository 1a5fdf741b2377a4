import type { LogDensity } from './log-density.js';
import type { ChainState } from './nuts.js';
import type { Rng } from './rng.js';

/** The initial bracket of the orbit's slice sampler, in the orbit's parameter s, and the most steps out. @internal */
const ORBIT_WIDTH = 1;

const ORBIT_STEPS = 20;

/**
 * The target's orbit update on a chain's state (see `LogDensity.orbit`): slice sampling (Neal 2003: stepping out by
 * `ORBIT_WIDTH` up to `ORBIT_STEPS` times in all, then shrinking) of s from π(s) ∝ p(Φ_s(θ))·|det ∂Φ_s(θ)/∂θ|, starting at
 * s = 0, and the new point's log density and gradient. The orbit's own evaluations count as gradient evaluations. @internal
 */
export function orbitSampler(orbitOf: NonNullable<LogDensity['orbit']>, counted: LogDensity, rng: Rng, dim: number) {
  const out = new Float64Array(dim);
  const grad = new Float64Array(dim);
  const sampler = {
    state: undefined as ChainState | undefined,
    evaluations: 0,
    step(): void {
      const st = sampler.state!;
      const orbit = orbitOf(st.q);
      const level = Math.log(rng.uniform());
      let left = -ORBIT_WIDTH * rng.uniform();
      let right = left + ORBIT_WIDTH;
      // at most ORBIT_STEPS steps out, split at random between the two ends (which the slice sampler's reversibility needs)
      let j = Math.floor(ORBIT_STEPS * rng.uniform());
      let k = ORBIT_STEPS - 1 - j;
      for (; j > 0 && orbit.logRatio(left) > level; j--) left -= ORBIT_WIDTH;
      for (; k > 0 && orbit.logRatio(right) > level; k--) right += ORBIT_WIDTH;
      for (let tries = 0; tries < 100; tries++) {
        const x = left + (right - left) * rng.uniform();
        if (orbit.logRatio(x) > level) {
          orbit.point(out);
          const lp = counted.logDensityGradient(out, grad);
          if (Number.isFinite(lp)) {
            st.q.set(out);
            st.grad.set(grad);
            st.logDensity = lp;
          }
          break;
        }
        // the bracket shrinks toward s = 0, the current point, which is always on the slice
        if (x < 0) left = x;
        else right = x;
      }
      sampler.evaluations += orbit.evaluations();
    },
  };
  return sampler;
}
