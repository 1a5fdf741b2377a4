// The weekly national fixture (fixtures/weekly_national.csv) and a quick ridge fit of it: a fit with draws in seconds,
// for tests of what is computed from a fit's draws (plans, experiment designs) rather than of the fit itself.
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { fitMMM, type ClassicalFit } from '../src/index.js';

export const weeklyRows = parse(readFileSync(new URL('./fixtures/weekly_national.csv', import.meta.url), 'utf8'), {
  columns: true,
}) as Array<Record<string, string>>;
export const weeklyChannels = ['tv', 'search', 'social', 'display', 'radio'];

/** Ridge on the weekly fixture: 200 search candidates, 60 bootstrap resamples (60 draws), seed 3. */
export async function weeklyRidgeFit(): Promise<ClassicalFit> {
  return (await fitMMM(weeklyRows, {
    date: 'date',
    target: 'sales',
    channels: weeklyChannels,
    controls: ['price_index', 'competitor_index'],
    method: 'ridge',
    search: { candidates: 200 },
    bootstrap: { resamples: 60 },
    seed: 3,
  })) as ClassicalFit;
}
