import { describe, expect, it } from 'vitest';
import { customerLifetimeValue, fitBGNBD, fitGammaGammaBayes, summarizeTransactions } from '../src/index.js';

describe('option keys', () => {
  const customers = { frequency: [1, 0, 3], recency: [5, 0, 20], T: [30, 30, 30], monetaryValue: [10, 0, 12] };
  it('the fits, the summaries and the CLV refuse a misspelt key with the nearest valid one', () => {
    expect(() => fitBGNBD(customers, { penaliser: 0.1 } as never)).toThrow(
      /options\.penaliser: is not an option\. Did you mean options\.penalizer\?/,
    );
    expect(() => fitGammaGammaBayes(customers, { draw: 10 } as never)).toThrow(/options\.draw: .*Did you mean options\.draws\?/);
    expect(() => summarizeTransactions([{ id: 'a', day: '2024-01-01' }], { customer: 'id', date: 'day', amout: 'x' } as never)).toThrow(
      /options\.amout: .*Did you mean options\.amount\?/,
    );
    const fit = { model: 'bgnbd', params: { r: 1, alpha: 1, a: 1, b: 1 } };
    expect(() => customerLifetimeValue(fit, [1, 1, 1], customers, { month: 6 } as never)).toThrow(
      /options\.month: .*Did you mean options\.months\?/,
    );
  });
});
