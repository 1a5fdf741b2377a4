import { priorLogDensityGradient, type PriorSpec } from '@mmm/bayes-nuts';
import type { BlockValues, LevelState, ModelTerm, TermFactory } from './term.js';

/**
 * The intercept b₀, a constant in every period. In the centred coordinates the sampler moves in the level
 * m = b₀ + Σ_k ō_k instead (the fitted mean, which does not trade off against the trend or the media), so
 * b₀ = m − Σ_k ō_k and the intercept's prior is evaluated here, at b₀; in the natural coordinates the block is b₀
 * itself with its prior. See docs/model-math.md, "Centred coordinates".
 */
export function interceptTerm(prior: PriorSpec): TermFactory {
  return ({ data, centred }): ModelTerm => {
    const n = data.n;
    const block = centred ? 'level' : 'intercept';
    const pg = new Float64Array(1);
    let value: Float64Array;
    let grad: Float64Array;
    let b0 = 0;
    return {
      name: 'intercept',
      component: 'baseline',
      level: true,
      blocks: [centred ? { name: 'level' } : { name: 'intercept', prior }],
      parameters: [{ name: 'intercept', size: 1, prior }],
      bind(values, grads) {
        value = values[block];
        grad = grads[block];
      },
      prepare() {},
      addMean(mu, level) {
        b0 = centred ? value[0] - level.offset : value[0];
        mu.fill(b0);
      },
      backward(g, level: LevelState) {
        let G = 0;
        for (let t = 0; t < n; t++) G += g[t];
        let extra = 0;
        if (centred) {
          extra = priorLogDensityGradient(prior, b0, pg);
          G += pg[0];
        }
        level.gradient = G;
        grad[0] += G;
        return extra;
      },
      toNatural(sampled: BlockValues, out, level) {
        out.intercept = Float64Array.of(centred ? sampled.level[0] - level.offset : sampled.intercept[0]);
      },
      toSampled(natural: BlockValues, out, level) {
        out[block] = Float64Array.of(centred ? natural.intercept[0] + level.offset : natural.intercept[0]);
      },
      contributionInto: (out, natural) => out.fill(natural.intercept[0]),
    };
  };
}
