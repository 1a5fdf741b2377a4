// `npm run bench`: NUTS on Stan's benchmark targets (shared/reference/stan/targets), with Stan's definitions:
// 4 chains × (1000 warmup + 1000 draws) run one after another, leapfrog steps counted over warmup and sampling,
// wall time over both, ESS-bulk the minimum over parameters. Medians over 5 seeds. Also the sampler's own cost per
// leapfrog step beside the gradient's, on the 100-d Gaussian.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { essBulk } from '@mmm/diagnostics';
import { sample, nutsTransition, createNutsWorkspace, diagMetric, createRng, type LogDensity, type SampleResult } from '../src/index.js';
import { eightSchools, gauss100 } from '../test/targets.js';

const stan = JSON.parse(readFileSync(new URL('./fixtures/stan-targets.json', import.meta.url), 'utf8'));

function minEss(fit: SampleResult, transform?: (j: number, v: number, row: Float64Array) => number): number {
  let m = Infinity;
  for (let j = 0; j < fit.dim; j++) {
    const chains = fit.chains.map((c) =>
      Float64Array.from({ length: fit.draws }, (_, i) =>
        transform ? transform(j, c.draws[i * fit.dim + j], c.draws.subarray(i * fit.dim, (i + 1) * fit.dim)) : c.draws[i * fit.dim + j],
      ),
    );
    m = Math.min(m, essBulk(chains));
  }
  return m;
}

function median(x: number[]): number {
  const s = [...x].sort((a, b) => a - b);
  return s[s.length >> 1];
}

function run(name: string, target: LogDensity, stanKey: string, transform?: (j: number, v: number, row: Float64Array) => number) {
  const rows: Array<{ wall: number; leap: number; ess: number; div: number }> = [];
  for (const seed of [1, 2, 3, 4, 5]) {
    const t0 = performance.now();
    const fit = sample(target, { seed, chains: 4, warmup: 1000, draws: 1000 });
    const wall = (performance.now() - t0) / 1000;
    let leap = 0;
    let div = 0;
    for (const c of fit.chains) {
      leap += c.leapfrogWarmup;
      for (const v of c.stats.nLeapfrog) leap += v;
      for (const v of c.stats.divergent) div += v;
    }
    rows.push({ wall, leap, ess: minEss(fit, transform), div });
  }
  const wall = median(rows.map((r) => r.wall));
  const leap = median(rows.map((r) => r.leap));
  const ess = median(rows.map((r) => r.ess));
  const lpe = median(rows.map((r) => r.leap / r.ess));
  const eps = median(rows.map((r) => r.ess / r.wall));
  const s = stan[stanKey];
  console.log(`\n${name} (median of 5 seeds)`);
  console.log('| | wall s | leapfrog steps | min ESS-bulk | leapfrog / min ESS | min ESS-bulk / s | divergences |');
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  console.log(
    `| @mmm/bayes-nuts | ${wall.toFixed(2)} | ${leap} | ${ess.toFixed(0)} | ${lpe.toFixed(1)} | ${eps.toFixed(0)} | ${rows.map((r) => r.div).join('/')} |`,
  );
  console.log(
    `| Stan (rstan 2.21.7) | ${s.wall_s} | ${s.leapfrog_total} | ${s.ess_bulk_min.toFixed(0)} | ${s.leapfrog_per_ess_bulk_min.toFixed(1)} | ${s.ess_bulk_min_per_s.toFixed(0)} | ${s.divergences} |`,
  );
  console.log(
    `| ratio (ours / Stan) | ${(wall / s.wall_s).toFixed(2)} | | | ${(lpe / s.leapfrog_per_ess_bulk_min).toFixed(2)} | ${(eps / s.ess_bulk_min_per_s).toFixed(2)} | |`,
  );
}

const g = gauss100();
run('100-d Gaussian (gauss100.stan)', g.target, 'gauss100');
// eight schools: ESS of mu, tau and theta = mu + tau·θ̃ as Stan reports them
run('Eight schools, non-centred (eight_schools_nc.stan)', eightSchools(false), 'eight_schools_nc', (j, v, row) =>
  j === 0 ? v : j === 1 ? Math.exp(v) : row[0] + Math.exp(row[1]) * v,
);

// Sampler overhead per leapfrog step on the 100-d Gaussian: time of transitions minus time of the gradients alone.
{
  const { target } = g;
  const dim = target.dim;
  const metric = diagMetric(Float64Array.from(g.sds, (s) => s * s));
  const ws = createNutsWorkspace(dim, 10);
  const rng = createRng(1);
  const state = { q: Float64Array.from(g.means), grad: new Float64Array(dim), logDensity: 0 };
  state.logDensity = target.logDensityGradient(state.q, state.grad);
  const times: number[] = [];
  let steps = 0;
  for (let rep = 0; rep < 7; rep++) {
    let n = 0;
    const t0 = performance.now();
    for (let i = 0; i < 2000; i++) n += nutsTransition(target, metric, rng, state, 0.35, ws).nLeapfrog;
    times.push((performance.now() - t0) / n);
    steps = n;
  }
  const q = new Float64Array(dim);
  const gr = new Float64Array(dim);
  const gt: number[] = [];
  for (let rep = 0; rep < 7; rep++) {
    const t0 = performance.now();
    let acc = 0;
    for (let i = 0; i < steps; i++) {
      q[i % dim] += 1e-9;
      acc += target.logDensityGradient(q, gr);
    }
    if (!Number.isFinite(acc)) throw new Error('NaN');
    gt.push((performance.now() - t0) / steps);
  }
  const perStep = median(times) * 1e6;
  const perGrad = median(gt) * 1e6;
  console.log(
    `\nCost per leapfrog step on the 100-d Gaussian: ${perStep.toFixed(0)} ns in all, of which the gradient ${perGrad.toFixed(0)} ns; sampler overhead ${(perStep - perGrad).toFixed(0)} ns (${((perStep - perGrad) / dim).toFixed(2)} ns per dimension)`,
  );
}
