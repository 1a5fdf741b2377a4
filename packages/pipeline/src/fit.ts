// fitMMM: the options checked, the data prepared, and the method's fitter called. One registry of the methods says what
// each accepts; the refusals here, the CLI and the planner read it.
import { checkOptions, InvalidInputError } from '@mmm/core';
import { fitBayesian } from './bayesian.js';
import { fitClassical } from './classical.js';
import { fitGbdt } from './gbdt.js';
import { prepareFit, type PreparedFit } from './prepare.js';
import { FIT_OPTIONS_SHAPE } from './shapes.js';
import type { TableInput } from './table.js';
import type { FitFor, FitMethod, FitMMMOptions, MMMFit } from './types.js';

declare const performance: { now(): number };

/** What a method of `fitMMM` accepts and gives. */
export interface MethodSupport {
  /** several geos (the hierarchical geo model) */
  geo: boolean;
  /** lift tests (`liftTests`) */
  liftTests: boolean;
  /** ROAS priors (`model.roasPrior`, `model.channels.<name>.roasPrior`) */
  roasPriors: boolean;
  /** response curves, budgets and plans (`responseCurves`, `optimizeBudget`) */
  curves: boolean;
  /** terms of your own (`terms`) */
  terms: boolean;
  /** media effects that change over time (`model.timeVaryingEffects`) */
  timeVarying: boolean;
  /** interaction terms (`model.interactions`) */
  interactions: boolean;
  /** where its intervals come from */
  intervals: 'posterior' | 'bootstrap' | 'none';
}

/** One method of `fitMMM`: its fitter (on prepared data) and what it supports. */
export interface FitMethodEntry {
  /** in a sentence, for menus and help texts */
  description: string;
  supports: MethodSupport;
  fit(prepared: PreparedFit, options: FitMMMOptions, t0: number): Promise<MMMFit> | MMMFit;
}

const CLASSICAL: MethodSupport = {
  geo: false,
  liftTests: false,
  roasPriors: false,
  curves: true,
  terms: false,
  timeVarying: false,
  interactions: true,
  intervals: 'bootstrap',
};

/** The methods of `fitMMM`, in the order menus list them. */
export const FIT_METHODS: Readonly<Record<FitMethod, FitMethodEntry>> = {
  bayesian: {
    description: 'the Bayesian MMM sampled by NUTS, with the convergence gate (national or geo, calibrated by lift tests and ROAS priors)',
    supports: {
      geo: true,
      liftTests: true,
      roasPriors: true,
      curves: true,
      terms: true,
      timeVarying: true,
      interactions: true,
      intervals: 'posterior',
    },
    fit: fitBayesian,
  },
  ridge: { description: 'ridge regression with a search over the curves (Robyn)', supports: CLASSICAL, fit: fitClassical },
  lasso: { description: 'lasso with a search over the curves', supports: CLASSICAL, fit: fitClassical },
  elasticnet: { description: 'elastic net with a search over the curves', supports: CLASSICAL, fit: fitClassical },
  linear: { description: 'least squares with a search over the curves', supports: CLASSICAL, fit: fitClassical },
  gbdt: {
    description: 'gradient-boosted trees with TreeSHAP attributions (a non-causal benchmark: no curves, no intervals)',
    supports: {
      geo: false,
      liftTests: false,
      roasPriors: false,
      curves: false,
      terms: false,
      timeVarying: false,
      interactions: false,
      intervals: 'none',
    },
    fit: fitGbdt,
  },
};

/**
 * Fits the MMM to rows (as a CSV parser gives them) or columns: checks the options (a misspelt key at any level is
 * refused), validates and scales the data, fits with the method (by default the Bayesian model sampled by NUTS, chains
 * on worker threads in Node, with the convergence gate), and summarises ROAS, marginal ROAS, contributions over time and
 * fit, all as plain JSON.
 * @example
 * const fit = await fitMMM(rows, { date: 'date', target: 'sales', channels: ['tv', 'search'], controls: ['price'], seed: 1 });
 * fit.channels.tv.roas.mean; fit.method === 'bayesian' && fit.diagnostics.passed;
 */
export async function fitMMM<O extends FitMMMOptions>(data: TableInput, options: O): Promise<FitFor<O>> {
  checkOptions(options, FIT_OPTIONS_SHAPE, 'options');
  const method = options?.method ?? 'bayesian';
  const entry = Object.hasOwn(FIT_METHODS, method) ? FIT_METHODS[method] : undefined;
  if (!entry) {
    const names = Object.keys(FIT_METHODS).map((m) => `'${m}'`);
    throw new InvalidInputError('options.method', `is "${String(method)}"`, `Use ${names.slice(0, -1).join(', ')} or ${names.at(-1)}.`);
  }
  refuseUnsupported(method, entry.supports, options);
  const t0 = performance.now();
  const prepared = prepareFit(data, options);
  if (prepared.panel && !entry.supports.geo)
    throw new InvalidInputError(
      'options.method',
      `is "${method}" on ${prepared.panel.geos.length} geos`,
      'This method fits national data: aggregate the geos (aggregateGeos), fit one geo at a time, or use method "bayesian" for the geo ' +
        'hierarchy.',
    );
  return (await entry.fit(prepared, options, t0)) as FitFor<O>;
}

/** Refuses calibration a method cannot use, before the data are read. @internal */
function refuseUnsupported(method: FitMethod, supports: MethodSupport, options: FitMMMOptions): void {
  if (!supports.terms && options.terms?.length)
    throw new InvalidInputError(
      'options.terms',
      `are given to a ${method} fit`,
      'Terms of your own extend the Bayesian model: use method "bayesian" (the default), or drop them.',
    );
  if (!supports.liftTests && options.liftTests?.length)
    throw new InvalidInputError(
      'options.liftTests',
      `are given to a ${method} fit`,
      'Lift tests calibrate the Bayesian model: use method "bayesian" (the default), or drop them.',
    );
  if (!supports.timeVarying && options.model?.timeVaryingEffects !== undefined)
    throw new InvalidInputError(
      'options.model.timeVaryingEffects',
      `is set on a ${method} fit`,
      'Effects that change over time are a part of the Bayesian model: use method "bayesian", or drop them ' +
        "(rollingWindows compares a classical fit's windows).",
    );
  if (!supports.interactions && options.model?.interactions !== undefined)
    throw new InvalidInputError(
      'options.model.interactions',
      `is set on a ${method} fit`,
      'Interaction terms extend the Bayesian and the classical models: use one of those methods, or drop them.',
    );
  if (method !== 'bayesian' && options.organic?.length)
    throw new InvalidInputError(
      'options.organic',
      `is given to a ${method} fit`,
      'Organic media (their own adstock and saturation) are part of the Bayesian model: use method "bayesian", or give them as controls.',
    );
  if (method === 'gbdt' && options.treatments?.length)
    throw new InvalidInputError(
      'options.treatments',
      'are given to a gbdt fit',
      'A gradient-boosted benchmark attributes channels only: give them as controls, or use another method for their effects.',
    );
  const rf = (options.channels ?? []).find((c) => typeof c === 'object' && c !== null && 'reach' in c);
  if (method !== 'bayesian' && rf && typeof rf === 'object')
    throw new InvalidInputError(
      `options.channels.${rf.name}`,
      `is a reach-and-frequency channel in a ${method} fit`,
      'Reach-and-frequency channels are part of the Bayesian model: use method "bayesian", or give the channel as impressions ' +
        '({ name, exposure, spend }).',
    );
  const channel = Object.entries(options.model?.channels ?? {}).find(([, c]) => c?.roasPrior !== undefined)?.[0];
  if (!supports.roasPriors && (options.model?.roasPrior !== undefined || channel !== undefined))
    throw new InvalidInputError(
      channel !== undefined ? `options.model.channels.${channel}.roasPrior` : 'options.model.roasPrior',
      `is set on a ${method} fit`,
      'ROAS priors are priors of the Bayesian model: use method "bayesian", or drop them.',
    );
}
