// A term of our own, written against the ModelTerm contract alone (CONTRIBUTING.md, "Add a model term"): a holiday
// effect h·d_t on a known 0/1 indicator, with h ~ `prior`. It is not centred (it adds nothing to the level's offset),
// so its gradient is just Σ_t g_t·d_t. model/test/extending.test.ts checks it in the model; pipeline/test/terms.test.ts
// fits it through fitMMM.
import type { PriorSpec } from '@mmm/bayes-nuts';
import type { ModelTerm, TermFactory } from '../src/index.js';

export function holidayTerm(indicator: Float64Array, prior: PriorSpec): TermFactory {
  return ({ data }): ModelTerm => {
    const n = data.n;
    let h: Float64Array;
    let gh: Float64Array;
    const copy = (from: Readonly<Record<string, ArrayLike<number>>>, out: Record<string, Float64Array>) =>
      (out.holiday = Float64Array.from(from.holiday));
    return {
      name: 'holiday',
      component: 'other',
      blocks: [{ name: 'holiday', prior }],
      parameters: [{ name: 'holiday', size: 1, prior }],
      bind(values, grads) {
        h = values.holiday;
        gh = grads.holiday;
      },
      prepare() {},
      addMean(mu) {
        for (let t = 0; t < n; t++) mu[t] += h[0] * indicator[t];
      },
      backward(g) {
        for (let t = 0; t < n; t++) gh[0] += g[t] * indicator[t];
        return 0;
      },
      toNatural: copy,
      toSampled: copy,
      contributionInto(out, natural) {
        for (let t = 0; t < n; t++) out[t] = natural.holiday[0] * indicator[t];
        return out;
      },
    };
  };
}
