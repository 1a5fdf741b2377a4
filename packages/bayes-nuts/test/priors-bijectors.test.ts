import { describe, expect, it } from 'vitest';
import {
  constrainInto,
  insideSupport,
  createRng,
  samplePrior,
  createBlockModel,
  priorLogDensity,
  priorLogDensityGradient,
  priorParamGradientInto,
  priorParamNames,
  priorSupport,
  sample,
  unconstrain,
  type Constraint,
  type PriorSpec,
} from '../src/index.js';
import { coordinate, mapDraws, within4Mcse } from './helpers.js';

const priors: PriorSpec[] = [
  { dist: 'normal', mu: 0.3, sigma: 1.7 },
  { dist: 'halfNormal', sigma: 2 },
  { dist: 'logNormal', mu: 0.2, sigma: 0.6 },
  { dist: 'gamma', alpha: 3, beta: 2 },
  { dist: 'inverseGamma', alpha: 3, beta: 2 },
  { dist: 'beta', alpha: 2, beta: 5 },
  { dist: 'exponential', lambda: 1.5 },
  { dist: 'studentT', nu: 4, mu: -1, sigma: 2 },
  { dist: 'halfStudentT', nu: 3, sigma: 1.5 },
  { dist: 'cauchy', mu: 1, sigma: 0.5 },
  { dist: 'halfCauchy', sigma: 2 },
];

/** ∫ density over the support by Simpson's rule after x = tan θ (real, positive) or directly (unit). */
function integrate(p: PriorSpec): number {
  const support = priorSupport(p);
  const n = 200_000;
  const [a, b] = support === 'real' ? [-Math.PI / 2, Math.PI / 2] : support === 'positive' ? [0, Math.PI / 2] : [0, 1];
  const f = (t: number) => {
    if (support === 'unit') return Math.exp(priorLogDensity(p, t));
    const x = Math.tan(t);
    const c = Math.cos(t);
    const v = Math.exp(priorLogDensity(p, x)) / (c * c);
    return Number.isFinite(v) ? v : 0;
  };
  const h = (b - a) / n;
  let s = f(a + 1e-12) + f(b - 1e-12);
  for (let i = 1; i < n; i++) s += (i % 2 ? 4 : 2) * f(a + i * h);
  return (s * h) / 3;
}

function fd(f: (v: number) => number, v: number): number {
  const h = 1e-5 * Math.max(1, Math.abs(v));
  return (f(v + h) - f(v - h)) / (2 * h);
}

function expectClose(a: number, n: number, label: string) {
  expect(Math.abs(a - n), `${label}: analytic ${a}, numeric ${n}`).toBeLessThanOrEqual(1e-6 * Math.max(Math.abs(a), Math.abs(n)) + 1e-8);
}

describe('priors', () => {
  for (const p of priors) {
    it(`${p.dist}: integrates to 1 over its support`, () => {
      expect(Math.abs(integrate(p) - 1)).toBeLessThan(1e-6);
    });
    it(`${p.dist}: derivatives in the value and in its parameters match central differences`, () => {
      const out = new Float64Array(1);
      const pg = new Float64Array(3);
      const support = priorSupport(p);
      for (const x of support === 'unit' ? [0.1, 0.35, 0.8] : support === 'positive' ? [0.2, 1.3, 4.1] : [-2.2, 0.4, 3.3]) {
        priorLogDensityGradient(p, x, out);
        expectClose(
          out[0],
          fd((v) => priorLogDensity(p, v), x),
          `${p.dist} d/dx at ${x}`,
        );
        priorParamGradientInto(pg, p, x);
        priorParamNames(p).forEach((name, k) => {
          const rec = p as unknown as Record<string, number>;
          const num = fd((v) => priorLogDensity({ ...p, [name]: v } as PriorSpec, x), rec[name]);
          expectClose(pg[k], num, `${p.dist} d/d${name} at ${x}`);
        });
      }
    });
  }
  it('closed forms: N(0, 1) at 0 and Exponential(2) at 1', () => {
    expect(priorLogDensity({ dist: 'normal', mu: 0, sigma: 1 }, 0)).toBeCloseTo(-0.5 * Math.log(2 * Math.PI), 15);
    expect(priorLogDensity({ dist: 'exponential', lambda: 2 }, 1)).toBeCloseTo(Math.log(2) - 2, 15);
    expect(priorLogDensity({ dist: 'halfNormal', sigma: 1 }, -1)).toBe(-Infinity);
  });
});

describe('bijectors', () => {
  const cases: Array<[Constraint, number[]]> = [
    ['positive', [-1.2, 0.3, 2]],
    ['softplus', [-8, -1.2, 0.3, 2, 40]],
    ['unit', [-3, 0.1, 4]],
    [{ lower: -2, upper: 5 }, [-1, 0, 2.5]],
    [{ lower: 1 }, [0.5, -0.7]],
    [{ upper: 3 }, [0.2, 1.1]],
    ['ordered', [0.4, -1, 0.3, 0.8]],
  ];
  for (const [c, u0] of cases) {
    it(`${JSON.stringify(c)}: log-Jacobian is log |det ∂x/∂u|, its gradient matches differences, and it round-trips`, () => {
      const n = u0.length;
      const u = Float64Array.from(u0);
      const x = new Float64Array(n);
      const dlj = new Float64Array(n);
      const dxdu = new Float64Array(n);
      const lj = constrainInto(x, dlj, dxdu, c, u, 0, n);
      const at = (v: Float64Array) => {
        const xx = new Float64Array(n);
        return { lj: constrainInto(xx, new Float64Array(n), new Float64Array(n), c, v, 0, n), x: xx };
      };
      // log |det J| by differences: the Jacobian of these maps is triangular, so log |det| = Σ log |∂x_i/∂u_i|
      let logDet = 0;
      for (let i = 0; i < n; i++) {
        const d = fd((v) => at(Float64Array.from(u, (w, k) => (k === i ? v : w))).x[i], u[i]);
        logDet += Math.log(Math.abs(d));
        expectClose(
          dlj[i],
          fd((v) => at(Float64Array.from(u, (w, k) => (k === i ? v : w))).lj, u[i]),
          `dlogJ/du[${i}]`,
        );
      }
      expect(lj).toBeCloseTo(logDet, 8);
      const back = unconstrain(c, x);
      for (let i = 0; i < n; i++) expect(back[i]).toBeCloseTo(u[i], 10);
    });
  }
  it('rejects values outside the constraint, naming them', () => {
    expect(() => unconstrain('positive', [1, -2], 'sigma')).toThrow(/sigma\[1\]: got -2, must be in \(0, ∞\)/);
    expect(() => unconstrain('ordered', [1, 0.5], 'cut')).toThrow(/cut\[1\]/);
    expect(() => unconstrain('softplus', [0.3, 0], 'lambda')).toThrow(/lambda\[1\]: got 0, must be in \(0, ∞\)/);
  });
  it('softplus: ln(1 + eᵘ) without overflow or cancellation far out, and its inverse there', () => {
    const x = new Float64Array(4);
    constrainInto(x, new Float64Array(4), new Float64Array(4), 'softplus', Float64Array.of(-800, -40, 40, 800), 0, 4);
    // e^(−800) underflows to 0: the point is outside the support, as eᵘ's would be
    expect(insideSupport('softplus', x, 0, 1)).toBe(false);
    expect(x[1]).toBeCloseTo(Math.exp(-40), 30);
    expect(x[2]).toBe(40);
    expect(x[3]).toBe(800);
    expect(Array.from(unconstrain('softplus', [Math.exp(-40), 40, 800]))).toEqual([expect.closeTo(-40, 9), 40, 800]);
  });
});

describe('the Beta prior at large shapes', () => {
  it('keeps its digits: Beta(a, 1) has density a·x^(a−1) exactly, even for a = 10⁸', () => {
    for (const a of [1e4, 1e8]) {
      for (const x of [0.9, 0.999999]) {
        const expected = Math.log(a) + (a - 1) * Math.log(x);
        // ln B(a, 1) = −ln a; as ln Γ(a) + ln Γ(1) − ln Γ(a + 1) it loses about log10(a·ln a) digits
        expect(Math.abs(priorLogDensity({ dist: 'beta', alpha: a, beta: 1 }, x) - expected)).toBeLessThan(
          1e-12 * Math.max(1, Math.abs(expected)),
        );
      }
    }
  });
});

describe('createBlockModel', () => {
  it('the assembled gradient matches central differences', () => {
    const y = [1.2, 0.4, 2.2, 1.9, 0.7];
    const m = createBlockModel(
      [
        { name: 'mu', prior: { dist: 'normal', mu: 0, sigma: 5 } },
        { name: 'sigma', prior: { dist: 'halfNormal', sigma: 1 } },
        { name: 'w', size: 3, prior: { dist: 'beta', alpha: 2, beta: 2 } },
        { name: 'cut', size: 2, constraint: 'ordered' },
      ],
      (v, g) => {
        let lp = 0;
        for (const yi of y) {
          const r = (yi - v.mu[0] - v.w[0] * v.cut[1]) / v.sigma[0];
          lp += -0.5 * r * r - Math.log(v.sigma[0]);
          g.mu[0] += r / v.sigma[0];
          g.w[0] += (r / v.sigma[0]) * v.cut[1];
          g.cut[1] += (r / v.sigma[0]) * v.w[0];
          g.sigma[0] += (r * r - 1) / v.sigma[0];
        }
        return lp;
      },
    );
    expect(m.names).toEqual(['mu', 'sigma', 'w[1]', 'w[2]', 'w[3]', 'cut[1]', 'cut[2]']);
    const theta = Float64Array.from([0.3, -0.2, 0.5, -1, 0.2, 0.1, -0.4]);
    const grad = new Float64Array(m.dim);
    m.logDensityGradient(theta, grad);
    for (let i = 0; i < m.dim; i++) {
      const num = fd(
        (v) =>
          m.logDensityGradient(
            Float64Array.from(theta, (t, k) => (k === i ? v : t)),
            new Float64Array(m.dim),
          ),
        theta[i],
      );
      expectClose(grad[i], num, `∂/∂θ[${i}] (${m.names[i]})`);
    }
    const c = m.constrain(theta);
    expect(c.sigma[0]).toBeCloseTo(Math.exp(-0.2), 15);
    expect(Array.from(m.unconstrain(c)).map((v) => +v.toFixed(12))).toEqual(Array.from(theta).map((v) => +v.toFixed(12)));
  });

  it('sampling a prior-only model recovers the priors’ means within 4 MCSE', () => {
    const m = createBlockModel(
      [
        { name: 'g', prior: { dist: 'gamma', alpha: 3, beta: 2 } },
        { name: 'b', prior: { dist: 'beta', alpha: 2, beta: 5 } },
        { name: 'h', prior: { dist: 'halfNormal', sigma: 1 } },
        { name: 'n', prior: { dist: 'normal', mu: -2, sigma: 0.5 } },
      ],
      () => 0,
    );
    const fit = sample(m, { seed: 21, chains: 4, warmup: 500, draws: 1000 });
    within4Mcse(mapDraws(coordinate(fit, 0), Math.exp), 1.5, 'Gamma(3, 2) mean');
    within4Mcse(
      mapDraws(coordinate(fit, 1), (u) => 1 / (1 + Math.exp(-u))),
      2 / 7,
      'Beta(2, 5) mean',
    );
    within4Mcse(mapDraws(coordinate(fit, 2), Math.exp), Math.sqrt(2 / Math.PI), 'HalfNormal(1) mean');
    within4Mcse(coordinate(fit, 3), -2, 'Normal(−2, 0.5) mean');
  });

  it('a point whose constrained value underflows onto its bound has log density −∞, not an error', () => {
    const m = createBlockModel([{ name: 'k', prior: { dist: 'gamma', alpha: 3, beta: 6 } }], (v, g) => {
      if (!(v.k[0] > 0)) throw new Error('the likelihood must never see k = 0');
      g.k[0] = 0;
      return 0;
    });
    const grad = new Float64Array(1);
    expect(m.logDensityGradient(Float64Array.from([-800]), grad)).toBe(-Infinity);
    expect(grad[0]).toBe(0);
    expect(Number.isFinite(m.logDensityGradient(Float64Array.from([-1]), grad))).toBe(true);
  });

  it('the bound form is handed the block views once and gives the same density as the function form', () => {
    const blocks = [
      { name: 'mu', prior: { dist: 'normal', mu: 0, sigma: 5 } },
      { name: 'sigma', prior: { dist: 'halfNormal', sigma: 1 } },
    ] as const;
    const y = [1.2, 0.4, 2.2];
    const lik = (mu: number, sigma: number, g: { mu: Float64Array; sigma: Float64Array }) => {
      let lp = 0;
      for (const yi of y) {
        const r = (yi - mu) / sigma;
        lp += -0.5 * r * r - Math.log(sigma);
        g.mu[0] += r / sigma;
        g.sigma[0] += (r * r - 1) / sigma;
      }
      return lp;
    };
    let binds = 0;
    const bound = createBlockModel(blocks, {
      bind(v, g) {
        binds++;
        const mu = v.mu;
        const sigma = v.sigma;
        const grads = { mu: g.mu, sigma: g.sigma };
        return () => lik(mu[0], sigma[0], grads);
      },
    });
    const plain = createBlockModel(blocks, (v, g) => lik(v.mu[0], v.sigma[0], { mu: g.mu, sigma: g.sigma }));
    for (const theta of [
      [0.3, -0.2],
      [-1, 0.5],
      [2, 1],
    ]) {
      const g1 = new Float64Array(2);
      const g2 = new Float64Array(2);
      expect(bound.logDensityGradient(Float64Array.from(theta), g1)).toBe(plain.logDensityGradient(Float64Array.from(theta), g2));
      expect(Array.from(g1)).toEqual(Array.from(g2));
    }
    expect(binds).toBe(1);
  });

  it('rejects a non-finite prior and duplicate blocks with typed errors', () => {
    expect(() => createBlockModel([{ name: 'a', prior: { dist: 'normal', mu: 0, sigma: Number.NaN } }], () => 0)).toThrow(
      /blocks\.a\.prior\.sigma: got NaN/,
    );
    expect(() => createBlockModel([{ name: 'a' }, { name: 'a' }], () => 0)).toThrow(/repeats "a"/);
    expect(() => createBlockModel([{ name: 'a', prior: { dist: 'gamma', alpha: -1, beta: 1 } }], () => 0)).toThrow(/alpha/);
  });
});

describe('samplePrior', () => {
  const n = 40_000;
  // closed-form mean and variance of each prior with a finite variance
  const cases: Array<[PriorSpec, number, number]> = [
    [{ dist: 'normal', mu: 1, sigma: 2 }, 1, 4],
    [{ dist: 'halfNormal', sigma: 2 }, 2 * Math.sqrt(2 / Math.PI), 4 * (1 - 2 / Math.PI)],
    [{ dist: 'logNormal', mu: 0.1, sigma: 0.4 }, Math.exp(0.1 + 0.08), (Math.exp(0.16) - 1) * Math.exp(0.2 + 0.16)],
    [{ dist: 'gamma', alpha: 3, beta: 6 }, 0.5, 3 / 36],
    [{ dist: 'gamma', alpha: 0.5, beta: 2 }, 0.25, 0.125],
    [{ dist: 'inverseGamma', alpha: 5, beta: 2 }, 0.5, 4 / (16 * 3)],
    [{ dist: 'beta', alpha: 1, beta: 3 }, 0.25, 3 / (16 * 5)],
    [{ dist: 'exponential', lambda: 2 }, 0.5, 0.25],
    [{ dist: 'studentT', nu: 6, mu: -1, sigma: 0.5 }, -1, 0.25 * 1.5],
  ];
  for (const [p, mean, variance] of cases) {
    it(`${p.dist} ${JSON.stringify(p)}: sample mean and variance agree with the closed forms (4 standard errors)`, () => {
      const rng = createRng(21, 0);
      const x = Float64Array.from({ length: n }, () => samplePrior(p, rng));
      const m = x.reduce((a, b) => a + b, 0) / n;
      const v = x.reduce((a, b) => a + (b - m) ** 2, 0) / (n - 1);
      expect(Math.abs(m - mean)).toBeLessThan(4 * Math.sqrt(variance / n));
      // the variance's standard error needs the 4th moment: estimate it from the sample
      const m4 = x.reduce((a, b) => a + (b - m) ** 4, 0) / n;
      expect(Math.abs(v - variance)).toBeLessThan(4 * Math.sqrt((m4 - v * v) / n));
      for (const xi of x.slice(0, 1000)) expect(Number.isFinite(priorLogDensity(p, xi))).toBe(true);
    });
  }
  it('Cauchy and half-Cauchy: quartiles at μ ± σ and σ (binomial standard errors)', () => {
    const rng = createRng(22, 0);
    const c = Float64Array.from({ length: n }, () => samplePrior({ dist: 'cauchy', mu: 2, sigma: 3 }, rng));
    const h = Float64Array.from({ length: n }, () => samplePrior({ dist: 'halfCauchy', sigma: 3 }, rng));
    const se = 4 * Math.sqrt((0.25 * 0.75) / n);
    expect(Math.abs(c.filter((v) => v < -1).length / n - 0.25)).toBeLessThan(se);
    expect(Math.abs(c.filter((v) => v < 5).length / n - 0.75)).toBeLessThan(se);
    expect(Math.abs(h.filter((v) => v < 3).length / n - 0.5)).toBeLessThan(4 * Math.sqrt(0.25 / n));
  });
});
