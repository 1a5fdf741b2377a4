// Organic media and non-media treatments through fitMMM: their contributions recovered on simulated data with known
// truth over several seeds, kept apart from the channels (no ROAS, not in budgets), predictions that read them, and
// the typed errors.
import { MmmError } from '@mmm/core';
import { describe, expect, it } from 'vitest';
import { fitMMM, optimizeBudget, posteriorPredictive, type BayesianFit, type FitMMMOptions } from '../src/index.js';
import { organicData } from './reach-frequency-data.js';

const options = (seed: number): FitMMMOptions => ({
  date: 'date',
  target: 'sales',
  channels: ['tv', 'search'],
  organic: ['newsletter'],
  treatments: ['promo', { name: 'price', prior: { dist: 'normal', mu: 0, sigma: 0.5 } }],
  seed,
});

describe('organic media and treatments: recovery with the defaults', () => {
  // 6 data sets, 4 × (1000 + 1000) each; with calibrated 90% intervals the count inside is Binomial(6, 0.9): at least 4
  // with probability 0.984, for each of the three contributions
  it('the true contributions of the organic channel and of both treatments inside their 90% intervals on at least 4 of 6', {
    timeout: 300_000,
  }, async () => {
    const inside = { newsletter: 0, promo: 0, price: 0 };
    for (let seed = 1; seed <= 6; seed++) {
      const data = organicData(seed);
      const fit = (await fitMMM(data.rows, options(seed))) as BayesianFit;
      expect(fit.diagnostics.passed, `seed ${seed}`).toBe(true);
      const got = {
        newsletter: fit.organic!.newsletter.contribution,
        promo: fit.treatments!.promo.contribution,
        price: fit.treatments!.price.contribution,
      };
      for (const k of ['newsletter', 'promo', 'price'] as const)
        if (got[k].lower <= data.truth[k] && data.truth[k] <= got[k].upper) inside[k]++;
      // the organic channel is not a media channel: no ROAS, not in the shares
      expect(Object.keys(fit.channels)).toEqual(['tv', 'search']);
      // a treatment's effect is its contribution per period at its largest value (relative to its smallest)
      expect(fit.treatments!.promo.effect.mean).toBeGreaterThan(0);
      expect(fit.treatments!.price.effect.mean).toBeLessThan(0);
      expect(fit.contributions.terms?.newsletter.mean).toHaveLength(data.rows.length);
    }
    expect(inside.newsletter).toBeGreaterThanOrEqual(4);
    expect(inside.promo).toBeGreaterThanOrEqual(4);
    expect(inside.price).toBeGreaterThanOrEqual(4);
  });

  it('budgets leave organic media out; predictions read their columns', { timeout: 60_000 }, async () => {
    const data = organicData(7);
    const fit = (await fitMMM(data.rows, { ...options(7), chains: 2, warmup: 400, draws: 400 })) as BayesianFit;
    expect(Object.keys(optimizeBudget(fit).allocation).sort()).toEqual(['search', 'tv']);
    expect(fit.data.organic?.newsletter).toHaveLength(data.rows.length);
    expect(fit.data.treatments?.price).toHaveLength(data.rows.length);
    const pp = posteriorPredictive(fit, { maxDraws: 300 });
    expect(pp.actual!.coverage).toBeGreaterThan(0.8);
  });
});

describe('organic media and treatments: typed errors', () => {
  const data = organicData(1, { T: 60 });
  const fails = async (extra: Partial<FitMMMOptions>, field: RegExp, rows = data.rows) => {
    const error = await fitMMM(rows, { ...options(1), chains: 1, warmup: 20, draws: 20, ...extra }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MmmError);
    expect((error as MmmError & { field: string }).field).toMatch(field);
  };
  it('a column in two roles, a constant treatment, an unnamed treatment, a classical fit with organic media', async () => {
    await fails({ controls: ['newsletter'] }, /options\.organic\.newsletter/);
    await fails({ treatments: ['promo', 'tv'] }, /options\.treatments\.tv/);
    await fails(
      {},
      /treatments\.promo/,
      data.rows.map((r) => ({ ...r, promo: 1 })),
    );
    await fails({ treatments: [{ name: '' }] }, /options\.treatments\[0\]/);
    await fails({ method: 'ridge' }, /options\.organic/);
    await fails({ method: 'gbdt', organic: [] }, /options\.treatments/);
    await fails(
      { organic: ['newsletter'], model: { channels: { newsletter: { roasPrior: { mean: 1, sd: 1 } } } } },
      /spec\.organic\.newsletter/,
    );
  });
});
