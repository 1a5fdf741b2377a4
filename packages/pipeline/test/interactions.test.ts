// Interaction terms end to end: recovery of a known tv × season modulation and tv × search synergy on simulated data
// (Bayesian), the same terms in a ridge fit, their place in the decomposition, the budget's note, and the typed errors.
// Coverage over many data sets is bench/interactions.ts's (docs/interactions.md), not asserted on one fit.
import { beforeAll, describe, expect, it } from 'vitest';
import { fitMMM, optimizeBudget, predict, type BayesianFit, type ClassicalFit, type MMMFit } from '../src/index.js';
import { interactionData, type InteractionData } from './interaction-data.js';

const interactions = [
  { channel: 'tv', with: 'season' },
  { channel: 'tv', with: 'search' },
];
const options = (d: InteractionData, seed: number) => ({
  date: 'date',
  target: 'sales',
  channels: d.channels,
  model: { interactions },
  seed,
});

/** Share of periods whose band holds the truth. */
function covered(band: { lower: number[]; upper: number[] }, truth: Float64Array): number {
  let k = 0;
  truth.forEach((m, t) => (k += band.lower[t] <= m && m <= band.upper[t] ? 1 : 0));
  return k / truth.length;
}

/** The fitted mean per period against the sum of the parts' means (the decomposition is linear in the draws). */
function expectPartsAddUp(fit: MMMFit) {
  const c = fit.contributions;
  c.fitted.mean.forEach((f, t) => {
    let parts = c.trend.mean[t] + c.seasonality.mean[t] + c.controls.mean[t];
    for (const ch of Object.values(c.channels)) parts += ch.mean[t];
    for (const term of Object.values(c.terms ?? {})) parts += term.mean[t];
    expect(parts).toBeCloseTo(f, 6);
  });
}

describe('interactions in the Bayesian model, on known truth', () => {
  let d: InteractionData;
  let fit: BayesianFit;
  beforeAll(async () => {
    d = interactionData(2);
    fit = (await fitMMM(d.rows, options(d, 2))) as BayesianFit;
  }, 600_000);

  it('passes the gate and reports each interaction as its own contribution, the parts adding up to the fit', () => {
    expect(fit.diagnostics.passed).toBe(true);
    expect(Object.keys(fit.interactions ?? {})).toEqual(['tv:season', 'tv:search']);
    expect(Object.keys(fit.contributions.terms ?? {})).toEqual(['tv:season', 'tv:search']);
    expect(fit.interactions!['tv:search']).toMatchObject({ channel: 'tv', with: 'search' });
    expect(fit.draws['interaction.tv.season[1]']).toBeDefined();
    expectPartsAddUp(fit);
  });

  it("holds the synergy's true total in its 90% interval, and the seasonal modulation's series in ≥ 80% of periods", () => {
    const syn = fit.interactions!['tv:search'].contribution;
    expect(syn.lower).toBeLessThanOrEqual(d.totals['tv:search']);
    expect(syn.upper).toBeGreaterThanOrEqual(d.totals['tv:search']);
    // the synergy is positive here (δ = 0.1): the posterior says so
    expect(syn.lower).toBeGreaterThan(0);
    expect(covered(fit.contributions.terms!['tv:season'], d.series['tv:season'])).toBeGreaterThanOrEqual(0.8);
    // relative: the interaction's total over tv's own, draw by draw
    const rel = fit.interactions!['tv:search'].relative;
    expect(rel.mean).toBeGreaterThan(0);
    expect(rel.mean).toBeLessThan(1);
  });

  it('predictions carry the interactions; a budget names the synergy it leaves out', () => {
    const p = predict(fit, d.rows.slice(0, 20));
    p.mean.mean.forEach((m, t) => expect(m / fit.contributions.fitted.mean[t]).toBeCloseTo(1, 8));
    const plan = optimizeBudget(fit, { maxDraws: 100 });
    expect(plan.synergiesLeftOut).toEqual(['tv:search']);
  });
});

describe('interactions in a ridge fit', () => {
  it('the search chooses the curves with the interaction columns in; the bootstrap gives their draws and totals', async () => {
    const d = interactionData(3);
    const fit = (await fitMMM(d.rows, { ...options(d, 3), method: 'ridge' })) as ClassicalFit;
    expect(Object.keys(fit.interactions ?? {})).toEqual(['tv:season', 'tv:search']);
    expect(fit.draws['interaction.tv.search'][0].length).toBe(fit.bootstrap.resamples);
    expect(fit.bootstrap.point['interaction.tv.season[1]']).toBeDefined();
    const syn = fit.interactions!['tv:search'].contribution;
    expect(syn.lower).toBeLessThanOrEqual(syn.mean);
    expect(syn.mean).toBeLessThanOrEqual(syn.upper);
    expectPartsAddUp(fit);
  }, 120_000);
});

describe('interactions: typed errors', () => {
  const d = interactionData(1, { T: 60 });
  it('refuses them on gbdt, a misspelt key, and an unknown channel', async () => {
    await expect(fitMMM(d.rows, { ...options(d, 1), method: 'gbdt' })).rejects.toThrow(/options\.model\.interactions/);
    await expect(
      fitMMM(d.rows, { ...options(d, 1), model: { interactions: [{ channel: 'tv', wiht: 'season' } as never] } }),
    ).rejects.toThrow(/wiht/);
    await expect(fitMMM(d.rows, { ...options(d, 1), model: { interactions: [{ channel: 'tv', with: 'radio' }] } })).rejects.toThrow(
      /interactions\[0\]\.with/,
    );
  });
});
