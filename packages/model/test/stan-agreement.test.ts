// Agreement with Stan on the reference data (shared/reference/stan): every parameter's posterior mean within 4
// combined Monte Carlo standard errors of Stan's (ours from @mmm/diagnostics, Stan's sd/√ESS-bulk from its run).
import { describe, expect, it } from 'vitest';
import { mcseMean } from '@mmm/diagnostics';
import { sampleParallel } from '@mmm/bayes-nuts/parallel';
import { buildModel, prepareModelData } from '../src/index.js';
import { ourName, stanRaw, stanResults, stanSpec } from './stan-reference.js';

describe('the reference MMM against Stan', () => {
  it('posterior means of all 28 parameters agree within 4 combined MCSE', { timeout: 300_000 }, async () => {
    const spec = stanSpec();
    const raw = stanRaw();
    const fit = await sampleParallel(
      { module: new URL('../src/index.ts', import.meta.url).href, export: 'createMMMTarget', data: { spec, raw } },
      { seed: 2024, chains: 4, warmup: 1000, draws: 600, workers: 2 },
    );
    const model = buildModel(spec, prepareModelData(spec, raw).data);
    const dim = model.density.dim;
    // constrained draws per parameter name, one array per chain
    const byName: Record<string, Float64Array[]> = {};
    for (const n of model.names) byName[n] = [];
    for (const c of fit.chains) {
      const cols: Record<string, Float64Array> = {};
      for (const n of model.names) cols[n] = new Float64Array(fit.draws);
      for (let i = 0; i < fit.draws; i++) {
        const v = model.density.constrain(c.draws.subarray(i * dim, (i + 1) * dim));
        for (const b of model.density.blocks) {
          const arr = v[b.name];
          if (b.size === 1) cols[b.name][i] = arr[0];
          else for (let k = 0; k < b.size; k++) cols[`${b.name}[${k + 1}]`][i] = arr[k];
        }
      }
      for (const n of model.names) byName[n].push(cols[n]);
    }
    const rows: string[] = [];
    let worst = 0;
    for (const p of stanResults.parameters) {
      const x = byName[ourName(p.name)];
      expect(x, p.name).toBeDefined();
      let m = 0;
      for (const ch of x) for (const v of ch) m += v;
      m /= x.length * fit.draws;
      const se = Math.hypot(mcseMean(x), p.sd / Math.sqrt(p.ess_bulk));
      const z = Math.abs(m - p.mean) / se;
      worst = Math.max(worst, z);
      rows.push(`${p.name}: ours ${m.toPrecision(4)} Stan ${p.mean.toPrecision(4)} z ${z.toFixed(2)}`);
    }
    expect(worst, rows.join('\n')).toBeLessThan(4);
  });
});
