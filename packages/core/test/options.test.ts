import { describe, expect, it } from 'vitest';
import {
  ANY,
  InvalidInputError,
  checkOptions,
  customShape,
  listOf,
  nearestName,
  oneOf,
  optionKeys,
  recordOf,
  type OptionShape,
} from '../src/index.js';

const PRIOR = customShape((value, path) => {
  const v = value as { dist?: string };
  const keys: Record<string, OptionShape> = v.dist === 'normal' ? { dist: ANY, mu: ANY, sigma: ANY } : { dist: ANY, sigma: ANY };
  checkOptions(value, { kind: 'keys', keys }, path);
});
const SHAPE = optionKeys<{ draws?: number; model?: unknown; channels?: unknown; data?: unknown }>({
  draws: ANY,
  model: optionKeys<{ trend?: unknown; channels?: unknown; priors?: unknown }>({
    trend: oneOf(
      ANY,
      optionKeys<{ knots: number; sd?: number }>({ knots: ANY, sd: ANY }),
      optionKeys<{ changepoints: number; range?: number }>({ changepoints: ANY, range: ANY }),
    ),
    channels: recordOf(optionKeys<{ roasPrior?: unknown }>({ roasPrior: PRIOR })),
    priors: recordOf(PRIOR),
  }),
  channels: listOf(oneOf(ANY, optionKeys<{ name: string; spend: string }>({ name: ANY, spend: ANY }))),
  data: ANY,
});

/** The message of the error `f` throws (and that it is an InvalidInputError). */
function refused(f: () => void): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidInputError);
    return (e as Error).message;
  }
  throw new Error('expected an InvalidInputError');
}

describe('checkOptions', () => {
  it('accepts every valid key at every level, and leaves values it does not shape alone', () => {
    const options = {
      draws: 5,
      model: {
        trend: { knots: 4, sd: 0.1 },
        channels: { tv: { roasPrior: { dist: 'normal', mu: 1, sigma: 1 } } },
        priors: { sigma: { dist: 'halfNormal', sigma: 1 } },
      },
      channels: ['tv', { name: 'search', spend: 'search_spend' }],
      data: { anything: [1, 2], goes: new Float64Array(2) },
    };
    const copy = structuredClone(options);
    expect(() => checkOptions(options, SHAPE, 'options')).not.toThrow();
    expect(() => checkOptions({ model: { trend: 'linear' } }, SHAPE, 'options')).not.toThrow();
    expect(() => checkOptions(undefined, SHAPE, 'options')).not.toThrow();
    expect(options).toEqual(copy);
  });

  it('refuses an unknown key at each level, naming its path and the nearest valid name', () => {
    expect(refused(() => checkOptions({ drawz: 500 }, SHAPE, 'options'))).toMatch(
      /^options\.drawz: is not an option\. Did you mean options\.draws\?/,
    );
    expect(refused(() => checkOptions({ model: { trnd: 'knots' } }, SHAPE, 'options'))).toMatch(
      /options\.model\.trnd: .*Did you mean options\.model\.trend\?/,
    );
    expect(refused(() => checkOptions({ channels: ['tv', { name: 'tv', reech: 'x' }] }, SHAPE, 'options'))).toMatch(
      /options\.channels\[1\]\.reech: is not an option/,
    );
    expect(refused(() => checkOptions({ model: { channels: { tv: { roasPrio: {} } } } }, SHAPE, 'options'))).toMatch(
      /options\.model\.channels\.tv\.roasPrio: .*Did you mean options\.model\.channels\.tv\.roasPrior\?/,
    );
    expect(refused(() => checkOptions({ model: { priors: { sigma: { dist: 'normal', mu: 0, sigm: 1 } } } }, SHAPE, 'options'))).toMatch(
      /options\.model\.priors\.sigma\.sigm: .*Did you mean .*\.sigma\?/,
    );
  });

  it('checks an object of a oneOf against the variant it fits best', () => {
    expect(refused(() => checkOptions({ model: { trend: { knots: 4, rang: 1 } } }, SHAPE, 'options'))).toMatch(
      /options\.model\.trend\.rang: .*Options here: knots, sd\./,
    );
    expect(refused(() => checkOptions({ model: { trend: { changepoints: 4, rang: 1 } } }, SHAPE, 'options'))).toMatch(
      /Did you mean options\.model\.trend\.range\?/,
    );
    expect(refused(() => checkOptions({ model: { trend: { knts: 4 } } }, SHAPE, 'options'))).toMatch(
      /Did you mean options\.model\.trend\.knots\?/,
    );
  });

  it('lists the valid keys when no name is near', () => {
    const m = refused(() => checkOptions({ zzzzzzzz: 1 }, SHAPE, 'options'));
    expect(m).not.toMatch(/Did you mean/);
    expect(m).toMatch(/Options here: draws, model, channels, data\./);
  });
});

describe('nearestName', () => {
  it('finds typos within a few edits, ignoring case, and nothing far away', () => {
    expect(nearestName('trnd', ['trend', 'seasonality'])).toBe('trend');
    expect(nearestName('Seed', ['seed', 'draws'])).toBe('seed');
    expect(nearestName('wramup', ['warmup', 'draws'])).toBe('warmup');
    expect(nearestName('targetAcept', ['targetAccept', 'target'])).toBe('targetAccept');
    expect(nearestName('colour', ['draws', 'seed'])).toBeUndefined();
  });
});
