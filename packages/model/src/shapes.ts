// The keys a model spec and a channel spec accept, for @mmm/core's checkOptions: a misspelt key anywhere in a spec
// (`trnd`, `roasPrio`, a prior `alpa` of a geometric adstock) is refused instead of fitting another model.
import { ANY, checkOptions, customShape, listOf, oneOf, optionKeys, type OptionShape } from '@mmm/core';
import { PRIOR_SHAPE } from '@mmm/bayes-nuts';
import { adstockFamilies, saturationFamilies } from '@mmm/transforms';
import type {
  ChannelSpec,
  GpTrendSpec,
  InteractionSpec,
  KnotsTrendSpec,
  ModelSpec,
  PiecewiseTrendSpec,
  TimeVaryingSpec,
  TreatmentSpec,
} from './spec.js';

/** Priors by parameter name, the names being those of `family` (when it is known; an unknown family is refused elsewhere). @internal */
function familyPriors(family: { paramNames: readonly string[] } | undefined): OptionShape {
  return family ? optionKeys<Record<string, unknown>>(Object.fromEntries(family.paramNames.map((p) => [p, PRIOR_SHAPE]))) : ANY;
}

/** A ROAS prior: `{ mean, sd }` or a prior spec. */
export const ROAS_PRIOR_SHAPE: OptionShape = customShape((value, path) => {
  // `{ mean, sd }` when either is there, else a prior spec (so a misspelt `dist` is named as such)
  const moments = value !== null && typeof value === 'object' && ('mean' in value || 'sd' in value);
  const shape = moments ? optionKeys<{ mean: number; sd: number }>({ mean: ANY, sd: ANY }) : PRIOR_SHAPE;
  checkOptions(value, shape, path);
});

/** The adstock of a channel spec: its keys, and priors named by the family's parameters. */
const ADSTOCK_SHAPE: OptionShape = customShape((value, path) => {
  const type = (value as { type?: string }).type ?? 'geometric';
  const family = Object.hasOwn(adstockFamilies, type) ? adstockFamilies[type as keyof typeof adstockFamilies] : undefined;
  type Adstock = NonNullable<ChannelSpec['adstock']>;
  checkOptions(value, optionKeys<Adstock>({ type: ANY, maxLag: ANY, normalize: ANY, priors: familyPriors(family) }), path);
});

/** The saturation of a channel spec: its keys, and priors named by the family's parameters. */
const SATURATION_SHAPE: OptionShape = customShape((value, path) => {
  const type = (value as { type?: string }).type ?? 'hill';
  const family = Object.hasOwn(saturationFamilies, type) ? saturationFamilies[type as keyof typeof saturationFamilies] : undefined;
  type Saturation = NonNullable<ChannelSpec['saturation']>;
  checkOptions(value, optionKeys<Saturation>({ type: ANY, priors: familyPriors(family) }), path);
});

/** The keys of a channel spec but its name (as `fitMMM`'s `model.channels.<name>` takes them). */
export const CHANNEL_OPTIONS_KEYS = {
  adstock: ADSTOCK_SHAPE,
  saturation: SATURATION_SHAPE,
  coefficientPrior: PRIOR_SHAPE,
  roasPrior: ROAS_PRIOR_SHAPE,
  reachFrequency: ANY,
} satisfies { readonly [K in keyof Required<Omit<ChannelSpec, 'name'>>]: OptionShape };

/** A channel spec. */
export const CHANNEL_SPEC_SHAPE: OptionShape = optionKeys<ChannelSpec>({ name: ANY, ...CHANNEL_OPTIONS_KEYS });

/** A trend: `'linear'`, `'none'`, `{ changepoints, range }`, `{ knots, sd }` or `{ gp: { lengthscale, basis, amplitude } }`. */
export const TREND_SHAPE: OptionShape = oneOf(
  ANY,
  optionKeys<PiecewiseTrendSpec>({ changepoints: ANY, range: ANY }),
  optionKeys<KnotsTrendSpec>({ knots: ANY, sd: ANY }),
  optionKeys<GpTrendSpec>({ gp: optionKeys<GpTrendSpec['gp']>({ lengthscale: ANY, basis: ANY, amplitude: ANY }) }),
);

/** The keys of a model spec but its channels and controls (as `fitMMM`'s `model` takes them, with its own `channels`). */
export const MODEL_OPTIONS_KEYS = {
  seasonality: optionKeys<NonNullable<ModelSpec['seasonality']>>({ order: ANY, period: ANY }),
  trend: TREND_SHAPE,
  roasPrior: ROAS_PRIOR_SHAPE,
  periodsPerYear: ANY,
  likelihood: oneOf(ANY, optionKeys<{ studentT: { nu: number } }>({ studentT: optionKeys<{ nu: number }>({ nu: ANY }) })),
  noise: ANY,
  unpooled: optionKeys<NonNullable<ModelSpec['unpooled']>>({ channels: ANY, geos: ANY }),
  geoTrend: ANY,
  geoOrbit: ANY,
  parameterization: ANY,
  timeVaryingEffects: oneOf(
    ANY,
    optionKeys<TimeVaryingSpec>({ channels: ANY, basis: ANY, amplitude: PRIOR_SHAPE, lengthscale: PRIOR_SHAPE, kernel: ANY }),
  ),
  interactions: listOf(optionKeys<InteractionSpec>({ channel: ANY, with: ANY, prior: PRIOR_SHAPE })),
  priors: optionKeys<NonNullable<ModelSpec['priors']>>({
    intercept: PRIOR_SHAPE,
    trend: PRIOR_SHAPE,
    changepoint: PRIOR_SHAPE,
    fourier: PRIOR_SHAPE,
    control: PRIOR_SHAPE,
    sigma: PRIOR_SHAPE,
    baselineMean: PRIOR_SHAPE,
    baselineSd: PRIOR_SHAPE,
    scatter: PRIOR_SHAPE,
    trendSd: PRIOR_SHAPE,
  }),
} satisfies { readonly [K in keyof Required<Omit<ModelSpec, 'channels' | 'controls' | 'organic' | 'treatments'>>]: OptionShape };

/** A whole model spec. */
export const MODEL_SPEC_SHAPE: OptionShape = modelSpecShape();

/**
 * A whole model spec whose channels may have saturation curves of their own (`buildModel`'s `saturation` option): those
 * channels' saturation priors are named by their own curve's parameters.
 */
export function modelSpecShape(custom: Readonly<Record<string, { paramNames: readonly string[] }>> = {}): OptionShape {
  const channel = customShape((value, path) => {
    const family = custom[(value as { name?: string })?.name ?? ''];
    if (!family) return checkOptions(value, CHANNEL_SPEC_SHAPE, path);
    type Saturation = NonNullable<ChannelSpec['saturation']>;
    const saturation = optionKeys<Saturation>({ type: ANY, priors: familyPriors(family) });
    checkOptions(value, optionKeys<ChannelSpec>({ name: ANY, ...CHANNEL_OPTIONS_KEYS, saturation }), path);
  });
  return optionKeys<ModelSpec>({
    channels: listOf(channel),
    controls: ANY,
    organic: listOf(channel),
    treatments: listOf(optionKeys<TreatmentSpec>({ name: ANY, prior: PRIOR_SHAPE })),
    ...MODEL_OPTIONS_KEYS,
  });
}
