import { InvalidParameterError } from '@mmm/core';
import { channelDraws, spendPerPeriod, thinnedDraws } from './summaries.js';
import { allocateBudget, type AllocateOptions, type AllocationResult, type DrawCurve } from '@mmm/optimize';
import type { MMMFit } from './types.js';

/** Options of {@link optimizeBudget}. */
export interface OptimizeBudgetOptions extends Omit<AllocateOptions, 'curves' | 'totalBudget' | 'current'> {
  /** budget per period to split; @defaultValue the current average spend per period */
  totalBudget?: number;
  /** current spend per period; @defaultValue the average over the fitted data */
  current?: Record<string, number>;
  /** posterior draws used (evenly thinned); @defaultValue 500 */
  maxDraws?: number;
}

/**
 * The budget allocation a fitted MMM suggests: steady-state response per period of each channel
 * (β·sat(x / scale), the adstock weights being normalised) with its posterior draws, optimised by `allocateBudget`
 * with bounds, fixed channels and risk-aware objectives. Amounts are per period, in the spend's units.
 */
export function optimizeBudget(fit: MMMFit, options: OptimizeBudgetOptions = {}): AllocationResult {
  const names = fit.spec.channels.map((c) => c.name);
  const current = options.current ?? spendPerPeriod(fit);
  const totalBudget = options.totalBudget ?? names.reduce((a, nm) => a + (current[nm] ?? 0), 0);
  const maxDraws = options.maxDraws ?? 500;
  if (!(Number.isInteger(maxDraws) && maxDraws >= 1)) throw new InvalidParameterError('maxDraws', maxDraws, 'the integers ≥ 1');
  const yScale = fit.scaling.yScale;
  const { S, values } = thinnedDraws(fit, maxDraws);
  const curves: DrawCurve[] = fit.spec.channels.map((ch, c) => {
    const draws = channelDraws(ch, values);
    const fam = draws.saturation;
    const beta = Float64Array.from(draws.beta, (b) => b * yScale);
    const params = draws.saturationParams;
    const p = Array.from({ length: S }, (_, s) => Float64Array.from(params, (col) => col[s]));
    const inputScale = fit.scaling.spendScale[c];
    // the model saw exposures for exposure channels: assume exposures proportional to spend at the average rate
    const spendTotal = fit.data.spend[ch.name].reduce((a, b) => a + b, 0);
    const inputTotal = fit.data.input[ch.name].reduce((a, b) => a + b, 0);
    const perSpend = inputTotal / spendTotal / inputScale;
    return {
      channel: ch.name,
      draws: S,
      responseDraws(x, out) {
        for (let s = 0; s < S; s++) out[s] = beta[s] * fam.value(x * perSpend, p[s]);
      },
      marginalDraws(x, out) {
        for (let s = 0; s < S; s++) out[s] = beta[s] * perSpend * fam.derivative(x * perSpend, p[s]);
      },
    };
  });
  const { maxDraws: _m, totalBudget: _t, current: _c, ...rest } = options;
  void _m;
  void _t;
  void _c;
  return allocateBudget({ ...rest, curves, totalBudget, current });
}
