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
  for (const c of chains) for (const v of c) {
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
