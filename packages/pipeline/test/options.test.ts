// fitMMM refuses a misspelt option key at every level of its options, naming the key's path and the nearest valid key,
// before it reads the data (so a typo never fits another model than the one asked for).
import { isMmmError } from '@mmm/core';
import { describe, expect, it } from 'vitest';
import { fitMMM, optimizeBudget, predict, priorPredictive, responseCurves, type FitMMMOptions, type ModelFit } from '../src/index.js';

/** Options that use every key fitMMM knows, at every level (the values need not make a sensible model). */
const full = {
  date: 'date',
  target: 'sales',
  channels: ['tv', { name: 'search', spend: 'search_spend', exposure: 'search_clicks' }],
  geo: 'region',
  population: 'pop',
  controls: ['price'],
  method: 'bayesian',
  search: {
    l1Ratio: 0.5,
    nonNegative: true,
    strategy: 'random',
    candidates: 10,
    population: 10,
    grid: {},
    penalty: [0, 1],
    validation: { folds: 3, gap: 0 },
    select: 'nrmse',
    tol: 1e-6,
    ranges: {},
  },
  gbdt: {
    nEstimators: 10,
    learningRate: 0.1,
    maxDepth: 2,
    minSamplesLeaf: 3,
    lambda: 1,
    subsample: 1,
    maxBins: 16,
    validation: 0.2,
    patience: 5,
    seed: 1,
  },
  bootstrap: { resamples: 10, blockLength: 4, pool: 3 },
  model: {
    seasonality: { order: 2, period: 52 },
    trend: { knots: 4, sd: 0.1 },
    priors: { intercept: { dist: 'normal', mu: 0, sigma: 1 }, sigma: { dist: 'halfNormal', sigma: 1 } },
    likelihood: { studentT: { nu: 4 } },
    parameterization: 'centered',
    noise: 'shared',
    roasPrior: { mean: 2, sd: 1 },
    unpooled: { channels: [], geos: [] },
    geoTrend: false,
    geoOrbit: true,
    channels: {
      tv: {
        adstock: { type: 'geometric', maxLag: 8, normalize: true, priors: { alpha: { dist: 'beta', alpha: 1, beta: 3 } } },
        saturation: {
          type: 'hill',
          priors: { halfSaturation: { dist: 'gamma', alpha: 3, beta: 6 }, slope: { dist: 'gamma', alpha: 3, beta: 2 } },
        },
        coefficientPrior: { dist: 'halfNormal', sigma: 1 },
        roasPrior: { dist: 'logNormal', mu: 0, sigma: 1 },
      },
    },
  },
  liftTests: [
    { channel: 'tv', start: '2024-01-01', end: '2024-01-29', spendChange: 100, lift: 10, sd: 5, geo: 'north' },
    { channel: 'tv', x: 10, deltaX: 5, lift: 3, sd: 1 },
  ],
  chains: 2,
  warmup: 10,
  draws: 10,
  seed: 1,
  targetAccept: 0.8,
  metric: 'diag',
  initialMetric: 'laplace',
  parallel: false,
  workers: 1,
  createWorker: () => undefined,
  onProgress: () => undefined,
  interval: 0.9,
  gate: { rhatMax: 1.01, essBulkMin: 400, essTailMin: 400, maxDivergences: 0 },
  warmStart: { fit: {}, warmup: 100 },
  remedy: { maxAttempts: 1 },
  earlyStop: { ess: 500 },
  localStepSize: { energyTolerance: 1, maxHalvings: 10 },
};

/** Every path to a key of an object inside `value` (array elements by index), e.g. ['model', 'channels', 'tv', 'adstock']. */
function keyPaths(value: unknown, path: Array<string | number> = []): Array<Array<string | number>> {
  if (Array.isArray(value)) return value.flatMap((v, i) => keyPaths(v, [...path, i]));
  if (value === null || typeof value !== 'object') return [];
  // the keys under these are names of the caller's choosing (channels, search ranges), not options
  return Object.entries(value).flatMap(([k, v]) => {
    const here = [...path, k];
    return [here, ...keyPaths(v, here)];
  });
}

/** A copy of `value` with the key at `path` renamed to `to`. */
function renamed(value: unknown, path: Array<string | number>, to: string): unknown {
  const copy = structuredClone({ ...(value as object), createWorker: undefined, onProgress: undefined }) as Record<string, unknown>;
  let node: Record<string | number, unknown> = copy;
  for (const k of path.slice(0, -1)) node = node[k] as Record<string | number, unknown>;
  const last = path[path.length - 1] as string;
  node[to] = node[last];
  delete node[last];
  return copy;
}

/** A misspelling: the first two letters swapped (`trend` → `rtend`), which is within two edits of the original. */
const typo = (key: string) => (key.length > 1 ? key[1] + key[0] + key.slice(2) : `${key}x`);

/** The error `fitMMM` throws for these options (with no data: the options are checked first). */
async function refusal(options: unknown): Promise<{ field?: string; message: string }> {
  try {
    await fitMMM([], options as FitMMMOptions);
  } catch (e) {
    expect(isMmmError(e), String(e)).toBe(true);
    return e as { field?: string; message: string };
  }
  throw new Error('fitMMM accepted the options');
}

const display = (path: Array<string | number>) => `options${path.map((k) => (typeof k === 'number' ? `[${k}]` : `.${k}`)).join('')}`;

describe('fitMMM refuses misspelt option keys', () => {
  it('accepts every valid key at every level (the error is about the data, not an option)', async () => {
    const e = await refusal({ ...full, createWorker: undefined, onProgress: undefined });
    expect(e.message).not.toMatch(/is not an option/);
  });

  // names the caller chooses (a channel in model.channels, a search range) are not options: they are checked elsewhere
  const chosen = (path: Array<string | number>) => path[path.length - 2] === 'channels' && path[0] === 'model';
  const paths = keyPaths(full).filter((p) => typeof p[p.length - 1] === 'string' && !chosen(p));

  it(`covers ${paths.length} keys at ${new Set(paths.map((p) => p.length)).size} levels`, () => {
    expect(paths.length).toBeGreaterThan(100);
    expect(Math.max(...paths.map((p) => p.length))).toBeGreaterThanOrEqual(6);
  });

  for (const path of paths) {
    const key = path[path.length - 1] as string;
    it(`${display(path)} misspelt as ${typo(key)}`, async () => {
      const e = await refusal(renamed(full, path, typo(key)));
      const wrong = display([...path.slice(0, -1), typo(key)]);
      expect(e.field).toBe(wrong);
      expect(e.message).toContain(`${wrong}: is not an option. Did you mean ${display(path)}?`);
    });
  }

  it('names the examples of the issue', async () => {
    const base = { date: 'date', target: 'sales', channels: ['tv'] };
    expect((await refusal({ ...base, drawz: 500 })).message).toMatch(/options\.drawz: is not an option\. Did you mean options\.draws\?/);
    expect((await refusal({ ...base, model: { trnd: 'knots' } })).message).toMatch(/Did you mean options\.model\.trend\?/);
    expect((await refusal({ ...base, channels: [{ name: 'tv', spend: 'tv', reech: 'tv_reach' }] })).field).toBe(
      'options.channels[0].reech',
    );
    expect((await refusal({ ...base, model: { channels: { tv: { roasPrio: { mean: 2, sd: 1 } } } } })).message).toMatch(
      /Did you mean options\.model\.channels\.tv\.roasPrior\?/,
    );
    // a prior's parameters depend on its distribution; an adstock's prior names on its family
    expect((await refusal({ ...base, model: { priors: { sigma: { dist: 'halfNormal', mu: 1 } } } })).field).toBe(
      'options.model.priors.sigma.mu',
    );
    expect(
      (await refusal({ ...base, model: { channels: { tv: { adstock: { type: 'weibullCdf', priors: { alpha: {} } } } } } })).field,
    ).toBe('options.model.channels.tv.adstock.priors.alpha');
  });
});

describe('the free functions refuse misspelt option keys', () => {
  const fit = { version: 1, method: 'bayesian', spec: { channels: [] }, channels: {}, draws: {} } as unknown as ModelFit;
  it('optimizeBudget, predict, responseCurves, priorPredictive', () => {
    expect(() => optimizeBudget(fit, { totalBudgte: 1 } as never)).toThrow(
      /options\.totalBudgte: is not an option\. Did you mean options\.totalBudget\?/,
    );
    expect(() => predict(fit, [], { maxDrawz: 1 } as never)).toThrow(/options\.maxDrawz: .*Did you mean options\.maxDraws\?/);
    expect(() => responseCurves(fit, { pionts: 3 } as never)).toThrow(/options\.pionts: .*Did you mean options\.points\?/);
    expect(() => priorPredictive([], { date: 'd', target: 't', channels: ['tv'], chians: 2 } as never)).toThrow(
      /options\.chians: .*Did you mean options\.chains\?/,
    );
    expect(() => priorPredictive([], { date: 'd', target: 't', channels: ['tv'] }, { drwas: 2 } as never)).toThrow(
      /settings\.drwas: .*Did you mean settings\.draws\?/,
    );
  });
});
