import { DimensionMismatchError, InvalidInputError, assertAllFinite, assertPositive } from '@mmm/core';
import { saturationFamilies, type SaturationName } from '@mmm/transforms';

/** A response curve at a point estimate: expected response to a channel's spend, and its derivative. */
export interface PointCurve {
  channel: string;
  response(spend: number): number;
  marginal(spend: number): number;
}

/** A response curve with posterior draws: writes the response (or its derivative) of every draw into `out`. */
export interface DrawCurve {
  channel: string;
  /** number of posterior draws S */
  draws: number;
  responseDraws(spend: number, out: Float64Array): void;
  marginalDraws(spend: number, out: Float64Array): void;
}

/** Either kind of curve. */
export type BudgetCurve = PointCurve | DrawCurve;

/** True for a {@link DrawCurve}. */
export function isDrawCurve(c: BudgetCurve): c is DrawCurve {
  return typeof (c as DrawCurve).responseDraws === 'function';
}

/** Parameters of {@link mediaResponseCurve}. */
export interface MediaCurveSpec {
  channel: string;
  /** saturation family of @mmm/transforms */
  saturation: SaturationName;
  /** its parameters: one array (a point curve) or one array per posterior draw */
  params: ArrayLike<number> | ReadonlyArray<ArrayLike<number>>;
  /** effect at full saturation, in response units per period: one value or one per draw */
  beta: number | ArrayLike<number>;
  /** the spend that maps to 1 on the saturation's input scale (the model's max-abs scale for the channel) */
  spendScale: number;
  /** adstock lag weights w_0 … w_{L−1}; omit for no carryover */
  adstockWeights?: ArrayLike<number>;
  /** planning horizon in periods over which the budget is spent; @defaultValue 1 */
  horizon?: number;
  /** share of the budget in each period of the horizon (normalised); @defaultValue even */
  flighting?: ArrayLike<number>;
}

/**
 * A response curve from a fitted channel: the budget x is spent over `horizon` periods with the flighting pattern,
 * carried over by the adstock weights (the response that spills past the horizon is counted, as PyMC-Marketing and
 * Meridian do), saturated, and scaled by β.
 * @remarks
 * With c_t = Σ_l w_l·φ_{t−l} / scale (φ the flighting shares, t = 0 … H + L − 2), the adstocked input is x·c_t, so
 * response(x) = β Σ_t s(x·c_t) and marginal(x) = β Σ_t c_t·s'(x·c_t): exact, and linear in the number of periods.
 */
export function mediaResponseCurve(spec: MediaCurveSpec): BudgetCurve {
  const family = saturationFamilies[spec.saturation];
  if (!family)
    throw new InvalidInputError(
      `curves.${spec.channel}.saturation`,
      `is "${spec.saturation}"`,
      `Use one of ${Object.keys(saturationFamilies).join(', ')}.`,
    );
  assertPositive(`curves.${spec.channel}.spendScale`, spec.spendScale);
  const H = spec.horizon ?? 1;
  if (!(Number.isInteger(H) && H >= 1))
    throw new InvalidInputError(`curves.${spec.channel}.horizon`, `is ${H}`, 'The horizon is a whole number of periods ≥ 1.');
  const w = spec.adstockWeights ?? [1];
  assertAllFinite(`curves.${spec.channel}.adstockWeights`, w);
  const phi = spec.flighting ? Float64Array.from(spec.flighting) : new Float64Array(H).fill(1 / H);
  if (phi.length !== H) throw new DimensionMismatchError(`curves.${spec.channel}.flighting`, H, phi.length);
  assertAllFinite(`curves.${spec.channel}.flighting`, phi);
  const sumPhi = phi.reduce((a, b) => a + b, 0);
  if (!(sumPhi > 0) || phi.some((v) => v < 0))
    throw new InvalidInputError(`curves.${spec.channel}.flighting`, 'has negative or no weight', 'Give non-negative period shares.');
  const T = H + w.length - 1;
  const c = new Float64Array(T);
  for (let t = 0; t < T; t++) {
    let acc = 0;
    for (let l = 0; l < w.length; l++) if (t - l >= 0 && t - l < H) acc += w[l] * (phi[t - l] / sumPhi);
    c[t] = acc / spec.spendScale;
  }
  const perDraw = typeof (spec.params as ArrayLike<unknown>)[0] !== 'number';
  const channel = spec.channel;
  if (!perDraw) {
    const p = Float64Array.from(spec.params as ArrayLike<number>);
    family.check(p);
    const beta = spec.beta as number;
    assertAllFinite(`curves.${channel}.beta`, [beta]);
    return {
      channel,
      response(x) {
        let r = 0;
        for (let t = 0; t < T; t++) r += family.value(x * c[t], p);
        return beta * r;
      },
      marginal(x) {
        let r = 0;
        for (let t = 0; t < T; t++) r += c[t] * family.derivative(x * c[t], p);
        return beta * r;
      },
    };
  }
  const params = (spec.params as ReadonlyArray<ArrayLike<number>>).map((p) => Float64Array.from(p));
  const S = params.length;
  params.forEach((p, s) => {
    assertAllFinite(`curves.${channel}.params[${s}]`, p);
    family.check(p);
  });
  const beta = typeof spec.beta === 'number' ? new Float64Array(S).fill(spec.beta) : Float64Array.from(spec.beta);
  if (beta.length !== S) throw new DimensionMismatchError(`curves.${channel}.beta`, S, beta.length);
  assertAllFinite(`curves.${channel}.beta`, beta);
  return {
    channel,
    draws: S,
    responseDraws(x, out) {
      for (let s = 0; s < S; s++) {
        let r = 0;
        for (let t = 0; t < T; t++) r += family.value(x * c[t], params[s]);
        out[s] = beta[s] * r;
      }
    },
    marginalDraws(x, out) {
      for (let s = 0; s < S; s++) {
        let r = 0;
        for (let t = 0; t < T; t++) r += c[t] * family.derivative(x * c[t], params[s]);
        out[s] = beta[s] * r;
      }
    },
  };
}
