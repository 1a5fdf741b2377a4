import { describe, expect, it } from 'vitest';
import { ebfmi, mcseMean } from '@mmm/diagnostics';
import { sample, type LogDensity } from '../src/index.js';
import { eightSchools, funnel } from './targets.js';
import { coordinate, mapDraws, meanOf, stanEightSchools } from './helpers.js';

const stan = stanEightSchools();

describe('eight schools', () => {
  const fit = sample(eightSchools(false), { seed: 8, chains: 4, warmup: 1000, draws: 1000 });
  const tau = mapDraws(coordinate(fit, 1), Math.exp);
  const mu = coordinate(fit, 0);
  const theta = (j: number) => {
    const t = coordinate(fit, 2 + j);
    return t.map((c, k) => c.map((v, i) => mu[k][i] + tau[k][i] * v));
  };
  const ours: Record<string, Float64Array[]> = { mu, tau };
  for (let j = 0; j < 8; j++) ours[`theta[${j + 1}]`] = theta(j);

  it('non-centred: posterior means and sds agree with Stan within 4 combined MCSE', () => {
    for (const row of stan) {
      const x = ours[row.variable];
      expect(x, row.variable).toBeDefined();
      const m = meanOf(x);
      const mcseStan = row.sd / Math.sqrt(row.ess_bulk);
      const seMean = Math.hypot(mcseMean(x), mcseStan);
      expect(Math.abs(m - row.mean), `${row.variable} mean: ours ${m}, Stan ${row.mean}, 4·SE ${4 * seMean}`).toBeLessThan(4 * seMean);
      // sd through the second moment about Stan's mean: E[(x − m)²] = sd² + (m − μ)²
      const sq = mapDraws(x, (v) => (v - row.mean) ** 2);
      const s2 = meanOf(sq);
      const seSq = Math.hypot(mcseMean(sq), (2 * row.sd * row.sd) / Math.sqrt(row.ess_bulk));
      expect(Math.abs(s2 - row.sd ** 2), `${row.variable} second moment: ours ${s2}, Stan ${row.sd ** 2}`).toBeLessThan(4 * seSq);
    }
  });

  it('non-centred: E-BFMI above 0.3', () => {
    for (const c of fit.chains) expect(ebfmi(c.stats.energy)).toBeGreaterThan(0.3);
  });

  it('centred: the funnel geometry is reported as divergences', () => {
    const centred = sample(eightSchools(true), { seed: 8, chains: 4, warmup: 1000, draws: 1000 });
    const div = centred.chains.reduce((a, c) => a + c.stats.divergent.reduce((x, y) => x + y, 0), 0);
    expect(div).toBeGreaterThan(0);
  });
});

describe("Neal's funnel (10-d)", () => {
  it('reports divergences', () => {
    const fit = sample(funnel(10), { seed: 2, chains: 4, warmup: 1000, draws: 1000 });
    const div = fit.chains.reduce((a, c) => a + c.stats.divergent.reduce((x, y) => x + y, 0), 0);
    expect(div).toBeGreaterThan(0);
  });
});

describe('logistic regression on fixed simulated data', () => {
  // 200 observations, 3 coefficients, x ~ U(−2, 2) from a seeded LCG; prior N(0, 5²) on each coefficient
  const truth = [0.5, -1.2, 2.0];
  let s = 12345;
  const u = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) + 0.5) / 4294967296;
  const n = 200;
  const X = Array.from({ length: n }, () => [1, 4 * u() - 2, 4 * u() - 2]);
  const y = X.map((x) => (u() < 1 / (1 + Math.exp(-(truth[0] * x[0] + truth[1] * x[1] + truth[2] * x[2]))) ? 1 : 0));
  const logPost = (b: ArrayLike<number>, g?: Float64Array, H?: number[][]): number => {
    let lp = 0;
    for (let k = 0; k < 3; k++) {
      lp -= (b[k] * b[k]) / 50;
      if (g) g[k] = -b[k] / 25;
      if (H) for (let l = 0; l < 3; l++) H[k][l] = k === l ? -1 / 25 : 0;
    }
    for (let i = 0; i < n; i++) {
      const eta = b[0] * X[i][0] + b[1] * X[i][1] + b[2] * X[i][2];
      const p = 1 / (1 + Math.exp(-eta));
      lp += y[i] ? -Math.log1p(Math.exp(-eta)) : -Math.log1p(Math.exp(eta));
      for (let k = 0; k < 3; k++) {
        if (g) g[k] += (y[i] - p) * X[i][k];
        if (H) for (let l = 0; l < 3; l++) H[k][l] -= p * (1 - p) * X[i][k] * X[i][l];
      }
    }
    return lp;
  };
  const target: LogDensity = { dim: 3, logDensityGradient: (b, g) => logPost(b, g) };
  const fit = sample(target, { seed: 4, chains: 4, warmup: 500, draws: 1000 });

  /** The posterior mean by self-normalised importance sampling from N(MAP, 2·(−H)⁻¹), 200,000 draws: independent of NUTS. */
  function importanceSamplingMean(): { mean: number[]; se: number[]; sd: number[] } {
    const b = [0, 0, 0];
    const g = new Float64Array(3);
    const H = [0, 1, 2].map(() => [0, 0, 0]);
    for (let it = 0; it < 50; it++) {
      logPost(b, g, H);
      const step = solve3(H, Array.from(g));
      for (let k = 0; k < 3; k++) b[k] -= step[k];
    }
    logPost(b, g, H);
    const cov = inverse3(H).map((r) => r.map((v) => -2 * v));
    const L = chol3(cov);
    let r = 987654321;
    const unif = () => ((r = (Math.imul(r, 1664525) + 1013904223) >>> 0) + 0.5) / 4294967296;
    const normal = () => Math.sqrt(-2 * Math.log(unif())) * Math.cos(2 * Math.PI * unif());
    const M = 200_000;
    const xs: number[][] = [];
    const lw: number[] = [];
    for (let m = 0; m < M; m++) {
      const z = [normal(), normal(), normal()];
      const x = [0, 1, 2].map((k) => b[k] + L[k][0] * z[0] + L[k][1] * z[1] + L[k][2] * z[2]);
      xs.push(x);
      lw.push(logPost(x) + 0.5 * (z[0] ** 2 + z[1] ** 2 + z[2] ** 2));
    }
    let mx = -Infinity;
    for (const v of lw) if (v > mx) mx = v;
    const w = lw.map((v) => Math.exp(v - mx));
    const W = w.reduce((a, c) => a + c, 0);
    const mean = [0, 1, 2].map((k) => xs.reduce((a, x, i) => a + w[i] * x[k], 0) / W);
    const sd = [0, 1, 2].map((k) => Math.sqrt(xs.reduce((a, x, i) => a + w[i] * (x[k] - mean[k]) ** 2, 0) / W));
    const se = [0, 1, 2].map((k) => Math.sqrt(xs.reduce((a, x, i) => a + (w[i] * (x[k] - mean[k])) ** 2, 0)) / W);
    return { mean, se, sd };
  }

  it('posterior means agree with an independent importance-sampling estimate within 4 combined MCSE', () => {
    const is = importanceSamplingMean();
    for (let k = 0; k < 3; k++) {
      const x = coordinate(fit, k);
      const m = meanOf(x);
      const se = Math.hypot(mcseMean(x), is.se[k]);
      expect(Math.abs(m - is.mean[k]), `beta[${k}]: NUTS ${m}, IS ${is.mean[k]}, 4·SE ${4 * se}`).toBeLessThan(4 * se);
    }
  });

  it('recovers the true coefficients within 3 posterior sd', () => {
    for (let k = 0; k < 3; k++) {
      const x = coordinate(fit, k);
      const m = meanOf(x);
      const sd = Math.sqrt(meanOf(mapDraws(x, (v) => (v - m) ** 2)));
      expect(Math.abs(m - truth[k]), `beta[${k}] mean ${m} sd ${sd} truth ${truth[k]}`).toBeLessThan(3 * sd);
    }
  });
});

function solve3(A: number[][], b: number[]): number[] {
  const inv = inverse3(A);
  return inv.map((r) => r[0] * b[0] + r[1] * b[1] + r[2] * b[2]);
}

function inverse3(m: number[][]): number[][] {
  const [[a, b, c], [d, e, f], [g, h, i]] = m;
  const A = e * i - f * h;
  const B = -(d * i - f * g);
  const C = d * h - e * g;
  const det = a * A + b * B + c * C;
  return [
    [A / det, -(b * i - c * h) / det, (b * f - c * e) / det],
    [B / det, (a * i - c * g) / det, -(a * f - c * d) / det],
    [C / det, -(a * h - b * g) / det, (a * e - b * d) / det],
  ];
}

function chol3(a: number[][]): number[][] {
  const L = [0, 1, 2].map(() => [0, 0, 0]);
  for (let j = 0; j < 3; j++) {
    let d = a[j][j];
    for (let k = 0; k < j; k++) d -= L[j][k] ** 2;
    L[j][j] = Math.sqrt(d);
    for (let i = j + 1; i < 3; i++) {
      let s2 = a[i][j];
      for (let k = 0; k < j; k++) s2 -= L[i][k] * L[j][k];
      L[i][j] = s2 / L[j][j];
    }
  }
  return L;
}
