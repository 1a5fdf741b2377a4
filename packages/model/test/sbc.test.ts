// Simulation-based calibration, small: 60 replicates of the default model on 40 periods (the benchmark runs 200+,
// bench/sbc.ts). Each quantity's 60 ranks among 19 thinned posterior draws fall in 5 equal bins; Pearson's
// chi-square test of uniformity must not reject at 0.001 for any of the 15 quantities (13 parameters and 2 ROAS),
// so a correct model fails by chance with probability under 1.5% (with these fixed seeds, never). A negative
// control, data simulated with twice the noise the prior says, must be rejected: the test can fail.
import { describe, expect, it } from 'vitest';
import { runSbc, uniformity } from './sbc.js';

const settings = { replicates: 60, T: 40, seed: 11, chains: 2, warmup: 150, draws: 200, L: 19 };

describe('simulation-based calibration of the default MMM', () => {
  it('ranks every parameter and each channel’s ROAS uniformly among posterior draws (sampled as fitMMM does, with the local step size)', {
    timeout: 180_000,
  }, () => {
    const r = runSbc({ ...settings, localStepSize: true });
    expect(r.names).toHaveLength(15);
    const tests = r.names.map((nm) => ({ nm, ...uniformity(r.ranks[nm], r.L, 5) }));
    for (const t of tests) expect(t.p, `${t.nm}: ranks ${t.counts.join(' ')}, χ² ${t.chi2.toFixed(1)}`).toBeGreaterThan(0.001);
  });
  it('rejects a model that simulated the data with twice its noise (the check has power)', { timeout: 180_000 }, () => {
    const r = runSbc({ ...settings, replicates: 30, sigmaFactor: 2 });
    const t = uniformity(r.ranks.sigma, r.L, 5);
    // the true σ sits far below the posterior's (which sees twice the noise): ranks pile up at 0
    expect(t.p).toBeLessThan(1e-6);
    expect(t.counts[0]).toBeGreaterThan(20);
  });
});
