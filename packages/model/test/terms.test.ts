import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { buildModel, prepareModelData } from '../src/index.js';
import { legacyCases, legacyPoint, legacyRaw } from './fixtures/legacy-cases.js';

interface LegacyCase {
  label: string;
  names: string[];
  points: Array<{ lp: number; grad: number[]; natural: Record<string, number[]> }>;
}
const legacy = JSON.parse(readFileSync(new URL('./fixtures/legacy-densities.json', import.meta.url), 'utf8')) as { cases: LegacyCase[] };

// The model as terms against the single-function model it replaced (fixture written by that code, commit 245bf01):
// same names, log density, gradient and natural parameters at the same points, for every combination. The two add
// the same terms in a different order (the level's offsets, μ's terms), so they agree to rounding: a relative
// 1e-12 of each quantity's scale (the log density's magnitude for it and its gradient).
describe('the model made of terms equals the model it replaced', () => {
  const cases = legacyCases();
  it('has the fixture’s 240 cases', () => expect(legacy.cases.map((c) => c.label)).toEqual(cases.map((c) => c.label)));
  for (const [i, c] of cases.entries()) {
    it(c.label, () => {
      const ref = legacy.cases[i];
      const { data } = prepareModelData(c.spec, legacyRaw());
      const m = buildModel(c.spec, data);
      expect(m.names).toEqual(ref.names);
      // the saturation parameters' sampler coordinate is now u′ = softplus⁻¹(x) in a national model (it was u = ln x):
      // at the same natural point the log density differs by the log-Jacobians, ln(1 − e^(−x)) − ln x, and
      // ∂/∂u′ = L′(x)·(1 − e^(−x)) + e^(−x) with L′(x) = (∂/∂u − 1)/x; every other coordinate is unchanged
      const softplus = m.density.blocks.filter((b) => b.constraint === 'softplus').map((b) => b.offset);
      ref.points.forEach((p, k) => {
        const theta = legacyPoint(m.density.dim, k);
        const want = { lp: p.lp, grad: p.grad.slice() };
        for (const i of softplus) {
          const x = p.natural[ref.names[i]][0];
          const s = -Math.expm1(-x);
          theta[i] = x + Math.log(s);
          want.lp += Math.log(s) - Math.log(x);
          want.grad[i] = ((p.grad[i] - 1) / x) * s + (1 - s);
        }
        const grad = new Float64Array(m.density.dim);
        const lp = m.density.logDensityGradient(theta, grad);
        const scale = Math.max(1, Math.abs(p.lp));
        expect(Math.abs(lp - want.lp), `log density at point ${k}`).toBeLessThanOrEqual(1e-12 * scale);
        grad.forEach((gi, j) =>
          expect(Math.abs(gi - want.grad[j]), `∂/∂${ref.names[j]} at point ${k}`).toBeLessThanOrEqual(
            1e-12 * Math.max(scale, Math.abs(want.grad[j])),
          ),
        );
        const natural = m.density.constrain(theta);
        expect(Object.keys(natural).sort()).toEqual(Object.keys(p.natural).sort());
        for (const [name, v] of Object.entries(p.natural))
          v.forEach((x, j) => expect(Math.abs(natural[name][j] - x), name).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(x))));
      });
    });
  }
});
