import { describe, expect, it } from 'vitest';
import { readWeeklyNational } from '../src/data.js';
import { transformsWalkthrough } from '../src/transforms-walkthrough.js';

describe('bundled weekly national data', () => {
  it('reads 156 weeks of 5 channels, 2 controls and sales, all finite', () => {
    const { table, truth } = readWeeklyNational();
    expect(table.rows).toBe(156);
    expect(truth.channels).toEqual(['tv', 'search', 'social', 'display', 'radio']);
    for (const name of [...truth.channels, 'price_index', 'competitor_index', 'sales']) {
      expect(table.columns[name]).toHaveLength(156);
    }
  });

  it('the transforms with the true parameters reproduce the generator’s ROAS (independent Python code)', () => {
    const { table, truth } = readWeeklyNational();
    for (const r of transformsWalkthrough(table, truth)) {
      // the generator wrote its figures with full double precision; only summation order differs
      expect(Math.abs(r.roas / r.trueRoas - 1), r.channel).toBeLessThan(1e-9);
    }
  });
});
