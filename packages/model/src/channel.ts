// One channel of the spec, resolved: its transforms, parameter names, priors and constraints. The one place that
// spells a channel's parameter names (`tv.adstock.alpha`, `tv.saturation.slope`, `tv.beta`): the model, the
// pipeline's curves and budgets and the report read them from here.
import { InvalidInputError } from '@mmm/core';
import type { Constraint, PriorSpec } from '@mmm/bayes-nuts';
import { adstockFamilies, saturationFamilies, type AdstockFamily, type SaturationFamily, DEFAULT_MAX_LAG } from '@mmm/transforms';
import {
  DEFAULT_ADSTOCK_PRIORS,
  DEFAULT_BASELINE_PRIORS,
  DEFAULT_GEO_SATURATION_PRIORS,
  DEFAULT_RF_SATURATION_PRIORS,
  DEFAULT_SATURATION_PRIORS,
  type ChannelSpec,
} from './spec.js';

/** The names of one channel's parameters as draws report them. */
export interface ChannelParameterNames {
  /** e.g. `['tv.adstock.alpha']`, in the adstock family's parameter order */
  adstock: string[];
  /** e.g. `['tv.saturation.halfSaturation', 'tv.saturation.slope']` */
  saturation: string[];
  /** the coefficient β: `tv.beta` */
  beta: string;
  /** the sampler's coordinate for β in the centred coordinates, the mean contribution γ: `tv.effect` */
  effect: string;
  /** geo models: the geo scatter η of log β (`tv.eta`) and the per-geo standard normal deviates (`tv.z`, size G) */
  scatter: string;
  geoDeviates: string;
}

/** A channel with its defaults filled in and its transforms looked up. */
export interface ResolvedChannel {
  name: string;
  adstock: AdstockFamily;
  /** number of lag weights */
  maxLag: number;
  normalize: boolean;
  saturation: SaturationFamily;
  /** a reach-and-frequency channel: the Hill curve applies to frequency before the adstock, β·adstock(reach·Hill(f)) */
  reachFrequency: boolean;
  names: ChannelParameterNames;
  /** priors in the order of `names.adstock`, `names.saturation`, and of β */
  adstockPriors: PriorSpec[];
  saturationPriors: PriorSpec[];
  betaPrior: PriorSpec;
  adstockConstraints: Array<Constraint | undefined>;
  saturationConstraint: Constraint;
}

/**
 * The parameter names of a channel: from its spec (or just its name, with the default transforms), e.g.
 * `channelParameterNames({ name: 'tv' })` → `{ adstock: ['tv.adstock.alpha'], saturation: ['tv.saturation.halfSaturation',
 * 'tv.saturation.slope'], beta: 'tv.beta' }`.
 */
export function channelParameterNames(channel: ChannelSpec): ChannelParameterNames {
  const { adstock, saturation } = channelFamilies(channel);
  return namesOf(channel.name, adstock, saturation);
}

/** @internal */
function namesOf(name: string, adstock: AdstockFamily, saturation: SaturationFamily): ChannelParameterNames {
  return {
    adstock: adstock.paramNames.map((p) => `${name}.adstock.${p}`),
    saturation: saturation.paramNames.map((p) => `${name}.saturation.${p}`),
    beta: `${name}.beta`,
    effect: `${name}.effect`,
    scatter: `${name}.eta`,
    geoDeviates: `${name}.z`,
  };
}

/** One channel's parameters read from values by name (`values[name]` a draw's value or any array of them). */
export interface ChannelValues<T> {
  adstock: T[];
  saturation: T[];
  beta: T;
}

/**
 * Reads a channel's parameters from a record of values by name (one draw's `Float64Array` blocks, or columns of
 * draws): `readChannel(spec.channels[0], (name) => fit.draws[name])`.
 */
export function readChannel<T>(channel: ChannelSpec, value: (name: string) => T): ChannelValues<T> {
  const names = channelParameterNames(channel);
  return { adstock: names.adstock.map(value), saturation: names.saturation.map(value), beta: value(names.beta) };
}

/** The adstock and saturation families of a channel spec (typed errors for unknown names). */
export function channelFamilies(channel: ChannelSpec): { adstock: AdstockFamily; saturation: SaturationFamily } {
  const adType = channel.adstock?.type ?? 'geometric';
  const satType = channel.saturation?.type ?? 'hill';
  const adstock = adstockFamilies[adType];
  const saturation = saturationFamilies[satType];
  if (!adstock)
    throw new InvalidInputError(
      `spec.channels.${channel.name}.adstock.type`,
      `is "${adType}"`,
      `Use one of ${Object.keys(adstockFamilies).join(', ')}.`,
    );
  if (!saturation)
    throw new InvalidInputError(
      `spec.channels.${channel.name}.saturation.type`,
      `is "${satType}"`,
      `Use one of ${Object.keys(saturationFamilies).join(', ')}.`,
    );
  return { adstock, saturation };
}

/**
 * Resolves a channel spec: families, defaults, names, priors (the spec's overrides, else the defaults) and
 * constraints. `saturation` replaces the spec's saturation family (a curve of your own; see CONTRIBUTING.md);
 * `geo` takes the geo model's default saturation priors (spend scaled by its mean, not its maximum).
 */
export function resolveChannel(channel: ChannelSpec, saturation?: SaturationFamily, options: { geo?: boolean } = {}): ResolvedChannel {
  if (!channel || typeof channel.name !== 'string' || channel.name === '')
    throw new InvalidInputError('spec.channels[].name', 'is missing', 'Give every channel a name.');
  const families = channelFamilies(channel);
  const adType = channel.adstock?.type ?? 'geometric';
  const sat = saturation ?? families.saturation;
  const maxLag = channel.adstock?.maxLag ?? DEFAULT_MAX_LAG;
  const satType = channel.saturation?.type ?? 'hill';
  const reachFrequency = channel.reachFrequency ?? false;
  if (typeof reachFrequency !== 'boolean')
    throw new InvalidInputError(
      `spec.channels.${channel.name}.reachFrequency`,
      `is ${JSON.stringify(reachFrequency)}`,
      'Use true or false.',
    );
  if (reachFrequency && (satType !== 'hill' || saturation))
    throw new InvalidInputError(
      `spec.channels.${channel.name}.saturation.type`,
      `is "${saturation ? saturation.name : satType}" for a reach-and-frequency channel`,
      'A reach-and-frequency channel saturates in frequency by a Hill curve: drop saturation.type.',
    );
  const satPriors = saturation
    ? {}
    : reachFrequency
      ? DEFAULT_RF_SATURATION_PRIORS
      : ((options.geo ? DEFAULT_GEO_SATURATION_PRIORS[satType] : undefined) ?? DEFAULT_SATURATION_PRIORS[satType]);
  const saturationPriors = sat.paramNames.map((p) => {
    const prior = channel.saturation?.priors?.[p] ?? satPriors[p];
    if (!prior)
      throw new InvalidInputError(
        `spec.channels.${channel.name}.saturation.priors.${p}`,
        'is missing',
        'Give a prior for every parameter of a saturation curve of your own.',
      );
    return prior;
  });
  return {
    name: channel.name,
    adstock: families.adstock,
    maxLag,
    normalize: channel.adstock?.normalize ?? true,
    saturation: sat,
    reachFrequency,
    names: namesOf(channel.name, families.adstock, sat),
    adstockPriors: families.adstock.paramNames.map((p) => channel.adstock?.priors?.[p] ?? DEFAULT_ADSTOCK_PRIORS[adType][p]),
    saturationPriors,
    betaPrior: channel.coefficientPrior ?? DEFAULT_BASELINE_PRIORS.coefficient,
    // geometric decay and every `alpha` live on (0, 1); the delay θ of the delayed adstock within the window
    adstockConstraints: families.adstock.paramNames.map((p) =>
      adType === 'delayed' && p === 'theta'
        ? { lower: 0, upper: maxLag - 1 }
        : adType === 'geometric' || p === 'alpha'
          ? 'unit'
          : undefined,
    ),
    // the power exponent lives on (0, 1). The other curves' positive parameters: by softplus in a national model (a
    // Gamma prior's e^(−x) tail is a wall e^(−eᵘ) on the log scale, where rare trajectories diverged: docs/validation.md),
    // by eᵘ in a geo model (its figures were measured so)
    saturationConstraint: sat.name === 'power' ? 'unit' : options.geo ? 'positive' : 'softplus',
  };
}
