import { expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { essBulk, mcseMean } from '@mmm/diagnostics';
import type { SampleResult } from '../src/index.js';

/** Draws of coordinate j, one Float64Array per chain. */
export function coordinate(fit: SampleResult, j: number): Float64Array[] {
  return fit.chains.map((c) => Float64Array.from({ length: fit.draws }, (_, i) => c.draws[i * fit.dim + j]));
}

/** Applies f to every draw of coordinate chains. */
export function mapDraws(chains: Float64Array[], f: (v: number) => number): Float64Array[] {
  return chains.map((c) => c.map(f));
}

export function meanOf(chains: Float64Array[]): number {
  let s = 0;
  let n = 0;
  for (const c of chains)
    for (const v of c) {
      s += v;
      n++;
    }
  return s / n;
}

/**
 * Expects |mean − truth| < 4·MCSE (MCSE from @mmm/diagnostics, i.e. posterior's mcse_mean), and prints the
 * numbers on failure.
 */
export function within4Mcse(chains: Float64Array[], truth: number, label: string): { z: number } {
  const m = meanOf(chains);
  const se = mcseMean(chains);
  const z = Math.abs(m - truth) / se;
  if (!(z < 4)) throw new Error(`${label}: mean ${m}, truth ${truth}, MCSE ${se}, |z| = ${z.toFixed(2)} ≥ 4`);
  return { z };
}

export function totalLeapfrog(fit: SampleResult): number {
  let n = 0;
  for (const c of fit.chains) {
    n += c.leapfrogWarmup;
    for (const v of c.stats.nLeapfrog) n += v;
  }
  return n;
}

export function minEssBulk(fit: SampleResult): number {
  let m = Infinity;
  for (let j = 0; j < fit.dim; j++) m = Math.min(m, essBulk(coordinate(fit, j)));
  return m;
}

/** Stan's summary of non-centred eight schools (rstan 2.21.7, 4 × 1000 draws; shared/reference/stan/targets/targets.json). */
export function stanEightSchools(): Array<{ variable: string; mean: number; sd: number; ess_bulk: number }> {
  return JSON.parse(readFileSync(new URL('./fixtures/stan-eight-schools.json', import.meta.url), 'utf8'));
}

/**
 * Expects the mean of `estimates` (one per independent run) within the t test's 0.1% two-sided bound of `truth`, the
 * standard error from their spread: in a funnel the neck is visited in rare long excursions, so a run's own MCSE (from
 * its ESS) understates its error (on seeds 1–10 of one 4 × 4,000-draw run each, 2 of 10 had P(v < −5) more than 4 such
 * MCSE from the truth, while 4 runs of 4 × 40,000 pooled were within 1.5%), and independent runs do not share it.
 */
export function expectReplicates(estimates: number[], truth: number, label: string): void {
  const n = estimates.length;
  const m = estimates.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(estimates.reduce((a, b) => a + (b - m) ** 2, 0) / (n - 1));
  // Student's t with 5 degrees of freedom, two-sided 0.1%
  const bound = 6.869 * (sd / Math.sqrt(n));
  expect(sd, `${label}: spread`).toBeGreaterThan(0);
  expect(
    Math.abs(m - truth),
    `${label}: runs ${estimates.map((e) => e.toFixed(4)).join(', ')}, truth ${truth}, bound ${bound}`,
  ).toBeLessThan(bound);
}
