import { priorLogDensityGradient, type ParameterBlock, type PriorSpec } from '@mmm/bayes-nuts';
import {
  adstockParamsVjpPrepared,
  adstockPreparedInto,
  createAdstockWorkspace,
  geometricAdstockFamily,
  geometricHillJacobianInto,
  hillSaturation,
} from '@mmm/transforms';
import type { ResolvedChannel } from '../channel.js';
import type { LiftTestData } from '../data.js';
import { liftTests as makeLiftTests } from './lift.js';
import type { BlockValues, ModelTerm, TermFactory, TermParameter } from './term.js';

/** A media term: also gives each period's adstocked input, for marginal effects. */
export interface MediaTerm extends ModelTerm {
  readonly component: 'media';
  readonly channel: ResolvedChannel;
  /**
   * One pass of the transforms at natural values: the contribution β_t·s(a_t), the adstocked (scaled) input a_t and
   * the coefficient β_t of each period (β, or a geo's β_g), for reports and marginal effects.
   */
  decomposeInto(natural: BlockValues, contribution: Float64Array, adstocked: Float64Array, coefficient: Float64Array): void;
}

/** What a media term may be calibrated with (national models). */
export interface MediaCalibration {
  /** a prior on ROAS = β·n·s̄/Λ instead of on β, with Λ = `spendPerTarget` (total spend in units of mean y) */
  roas?: { prior: PriorSpec; spendPerTarget: number };
  /** lift-test measurements on this channel */
  liftTests?: readonly LiftTestData[];
}

/**
 * One media channel: β·s(a_t), a = adstock(x; θ_a), s the saturation curve with parameters θ_s.
 *
 * In the centred coordinates the sampler moves in the mean contribution γ = β·s̄ (s̄ the mean of s over the
 * periods) instead of β: the data pin γ down whether the curve is nearly linear or nearly flat, where β and θ_s
 * trade off along a curved ridge. β = γ/s̄ then carries its prior and the log-Jacobian −ln s̄, the term's offset is
 * γ, and its upstream gradient is g_t − G/n (the derivative through its centred contribution β·(s_t − s̄)).
 * See docs/model-math.md.
 *
 * Calibration: with a ROAS prior the prior is on ROAS = β·s̄/κ (κ = Λ/n), not on β; in the centred coordinates
 * ROAS = γ/κ, so the sampled γ simply carries the ROAS prior (scaled by κ) and β = γ/s̄ no Jacobian; in the natural
 * ones β carries p_ROAS(β·s̄/κ)·s̄/κ. Lift tests add their Normal log likelihood and its gradient (./lift.ts).
 */
// long: a term is one closure whose methods share the workspace made here (buffers, block views); each method is short
export function mediaTerm(channel: ResolvedChannel, spend: Float64Array, calibration: MediaCalibration = {}): TermFactory {
  // long: see above
  return ({ data, centred }): MediaTerm => {
    const n = data.n;
    const { adstock, saturation, names, normalize } = channel;
    const sampledBeta = centred ? `${channel.name}.effect` : names.beta;
    const nAd = names.adstock.length;
    const nSat = names.saturation.length;
    const { ws, adstocked, saturated, satCache, gSat, gAd, adParams, satParams, gAdParams, gSatParams, pg } = mediaWorkspace(channel, n);
    // the default curve (geometric adstock, Hill) forward mode in one pass, as in the geo term: ∂s_t/∂(α, K, S) and
    // their sums, so the backward pass is dot products; other curves keep the reverse mode
    const fused = adstock === geometricAdstockFamily && saturation === hillSaturation;
    const jac = fused ? [0, 1, 2].map(() => new Float64Array(n)) : [];
    const sums = new Float64Array(4);
    let ad: Float64Array[] = [];
    let sat: Float64Array[] = [];
    let effect: Float64Array;
    let gAdBlocks: Float64Array[] = [];
    let gSatBlocks: Float64Array[] = [];
    let gEffect: Float64Array;
    let beta = 0;
    let sbar = 0;

    /** adstock and saturation at the parameters in adParams / satParams; returns s̄ (value-only path) */
    const transform = (values: BlockValues) => {
      names.adstock.forEach((nm, k) => (adParams[k] = values[nm][0]));
      names.saturation.forEach((nm, k) => (satParams[k] = values[nm][0]));
      adstock.weightsInto(ws.weights, adParams, normalize);
      adstockPreparedInto(adstock, adstocked, spend, adParams, ws);
      saturation.valueInto(saturated, adstocked, satParams);
      let m = 0;
      for (let t = 0; t < n; t++) m += saturated[t];
      return m / n;
    };

    const roas = calibration.roas;
    const kappa = roas ? roas.spendPerTarget / n : 1;
    const lifts = makeLiftTests(calibration.liftTests ?? [], channel, spend, ws, adstocked);
    const blocks = [
      ...curveBlocks(channel),
      centred || roas
        ? { name: sampledBeta, constraint: 'positive' as const }
        : { name: sampledBeta, prior: channel.betaPrior, constraint: 'positive' as const },
    ];
    return {
      name: channel.name,
      component: 'media',
      channel,
      blocks,
      parameters: [...curveParameters(channel), { name: names.beta, size: 1, ...(roas ? {} : { prior: channel.betaPrior }) }],
      bind(values, grads) {
        ad = names.adstock.map((k) => values[k]);
        sat = names.saturation.map((k) => values[k]);
        effect = values[sampledBeta];
        gAdBlocks = names.adstock.map((k) => grads[k]);
        gSatBlocks = names.saturation.map((k) => grads[k]);
        gEffect = grads[sampledBeta];
      },
      prepare(level) {
        for (let k = 0; k < nAd; k++) adParams[k] = ad[k][0];
        for (let k = 0; k < nSat; k++) satParams[k] = sat[k][0];
        // weights and their Jacobian once per evaluation: the convolution uses the weights, the VJP the Jacobian
        adstock.weightsJacobianInto(ws.jacobian, ws.weights, adParams, normalize);
        if (fused) {
          geometricHillJacobianInto(saturated, adstocked, jac[0], jac[1], jac[2], sums, spend, adParams[0], satParams[0], satParams[1], ws);
          sbar = sums[0] / n;
        } else {
          adstockPreparedInto(adstock, adstocked, spend, adParams, ws);
          saturation.valueCacheInto(saturated, satCache, adstocked, satParams);
          let m = 0;
          for (let t = 0; t < n; t++) m += saturated[t];
          sbar = m / n;
        }
        beta = centred ? effect[0] / sbar : effect[0];
        if (centred) level.offset += beta * sbar;
        lifts.prepare(satParams, saturated);
      },
      addMean(mu) {
        for (let t = 0; t < n; t++) mu[t] += beta * saturated[t];
      },
      backward(g, level) {
        // long: the likelihood's pass, the lift tests, the coordinates' chain rule (ROAS prior or β's), then the curves
        const gShift = centred ? level.gradient / n : 0;
        let gb = 0;
        let d0 = 0;
        let d1 = 0;
        let d2 = 0;
        if (fused) {
          const j0 = jac[0];
          const j1 = jac[1];
          const j2 = jac[2];
          for (let t = 0; t < n; t++) {
            const gc = g[t] - gShift;
            gb += gc * saturated[t];
            d0 += gc * j0[t];
            d1 += gc * j1[t];
            d2 += gc * j2[t];
          }
        } else {
          for (let t = 0; t < n; t++) {
            const gc = g[t] - gShift;
            gb += gc * saturated[t];
            gSat[t] = beta * gc;
          }
        }
        // lift tests: their log likelihood, ∂/∂β (into gb, so it follows β's chain rule below) and ∂/∂θ (direct)
        let extra = lifts.count ? lifts.backward(beta, satParams, gAdParams, gSatParams) : 0;
        if (lifts.count) {
          gb += lifts.dBeta;
          for (let k = 0; k < nSat; k++) gSatBlocks[k][0] += gSatParams[k];
          for (let k = 0; k < nAd; k++) gAdBlocks[k][0] += gAdParams[k];
        }
        // the chain rule's constant in the upstream of every s_t (through s̄)
        let shift = 0;
        if (centred && roas) {
          // γ = κ·ROAS carries the ROAS prior; β = γ/s̄ only passes the likelihood's gradient on
          extra += priorLogDensityGradient(roas.prior, effect[0] / kappa, pg) - Math.log(kappa);
          gEffect[0] += gb / sbar + pg[0] / kappa;
          shift = -(gb * beta) / sbar / n;
        } else if (centred) {
          // β = γ/s̄: β's prior and the log-Jacobian −ln s̄; ∂/∂γ = (∂ℓ/∂β + p'(β))/s̄, and every s_t gains
          // ∂/∂s̄·(1/n) with ∂/∂s̄ = −((∂ℓ/∂β + p'(β))·β + 1)/s̄
          extra += priorLogDensityGradient(channel.betaPrior, beta, pg) - Math.log(sbar);
          const db = gb + pg[0];
          gEffect[0] += db / sbar;
          shift = -(db * beta + 1) / sbar / n;
        } else if (roas) {
          // β carries p_ROAS(β·s̄/κ)·s̄/κ; ∂/∂s̄ = p'·β/κ + 1/s̄, spread over the s_t by 1/n
          extra += priorLogDensityGradient(roas.prior, (beta * sbar) / kappa, pg) + Math.log(sbar / kappa);
          gEffect[0] += gb + (pg[0] * sbar) / kappa;
          shift = ((pg[0] * beta) / kappa + 1 / sbar) / n;
        } else gEffect[0] += gb;
        if (fused) {
          // the upstream of s_t is β·(g_t − G/n) + shift: (α; K, S) from the forward-mode columns
          gAdBlocks[0][0] += beta * d0 + shift * sums[1];
          gSatBlocks[0][0] += beta * d1 + shift * sums[2];
          gSatBlocks[1][0] += beta * d2 + shift * sums[3];
          return extra;
        }
        if (shift !== 0) for (let t = 0; t < n; t++) gSat[t] += shift;
        saturation.vjpCached(adstocked, satParams, saturated, satCache, gSat, gSatParams, gAd);
        for (let k = 0; k < nSat; k++) gSatBlocks[k][0] += gSatParams[k];
        // where the adstocked input is exactly 0 there was no spend in the whole window: it stays 0 whatever the
        // adstock parameters, so it adds nothing to their gradient (the saturation's slope at 0 may be infinite, as for
        // Hill with S < 1; mmm.stan likewise saturates only the positive weeks)
        for (let t = 0; t < n; t++) if (adstocked[t] === 0) gAd[t] = 0;
        adstockParamsVjpPrepared(adstock, spend, adstocked, gAd, adParams, gAdParams, ws);
        for (let k = 0; k < nAd; k++) gAdBlocks[k][0] += gAdParams[k];
        return extra;
      },
      toNatural(sampled, out, level) {
        const sb = transform(sampled);
        for (const nm of [...names.adstock, ...names.saturation]) out[nm] = Float64Array.from(sampled[nm]);
        const b = centred ? sampled[sampledBeta][0] / sb : sampled[sampledBeta][0];
        out[names.beta] = Float64Array.of(b);
        // Σ_c β_c s̄_c is Σ_c γ_c
        level.offset += centred ? sampled[sampledBeta][0] : b * sb;
      },
      toSampled(natural, out, level) {
        const sb = transform(natural);
        for (const nm of [...names.adstock, ...names.saturation]) out[nm] = Float64Array.from(natural[nm]);
        const gamma = natural[names.beta][0] * sb;
        out[sampledBeta] = Float64Array.of(centred ? gamma : natural[names.beta][0]);
        level.offset += gamma;
      },
      contributionInto(natural, out) {
        transform(natural);
        const b = natural[names.beta][0];
        for (let t = 0; t < n; t++) out[t] = b * saturated[t];
        return out;
      },
      decomposeInto(natural, contribution, adstockedOut, coefficient) {
        transform(natural);
        const b = natural[names.beta][0];
        for (let t = 0; t < n; t++) contribution[t] = b * saturated[t];
        adstockedOut.set(adstocked);
        coefficient.fill(b);
      },
    };
  };
}

/**
 * A media term's buffers, made once: the adstock workspace, the series (length n) and their gradients (length
 * `gradientLength`: n, or a geo's T when a geo term back-propagates one geo at a time), parameter scratch. @internal
 */
export function mediaWorkspace(channel: ResolvedChannel, n: number, gradientLength = n) {
  const nAd = channel.names.adstock.length;
  const nSat = channel.names.saturation.length;
  return {
    ws: createAdstockWorkspace(channel.adstock, channel.maxLag),
    adstocked: new Float64Array(n),
    saturated: new Float64Array(n),
    satCache: new Float64Array(n),
    gSat: new Float64Array(gradientLength),
    gAd: new Float64Array(gradientLength),
    adParams: new Float64Array(nAd),
    satParams: new Float64Array(nSat),
    gAdParams: new Float64Array(nAd),
    gSatParams: new Float64Array(nSat),
    pg: new Float64Array(1),
  };
}

/** The blocks of a channel's adstock and saturation parameters, with their priors and constraints. @internal */
export function curveBlocks(channel: ResolvedChannel): ParameterBlock[] {
  const { names } = channel;
  return [
    ...names.adstock.map((name, k) => ({ name, prior: channel.adstockPriors[k], constraint: channel.adstockConstraints[k] })),
    ...names.saturation.map((name, k) => ({ name, prior: channel.saturationPriors[k], constraint: channel.saturationConstraint })),
  ];
}

/** The same as reported parameters. @internal */
export function curveParameters(channel: ResolvedChannel): TermParameter[] {
  const { names } = channel;
  return [
    ...names.adstock.map((name, k) => ({ name, size: 1, prior: channel.adstockPriors[k] })),
    ...names.saturation.map((name, k) => ({ name, size: 1, prior: channel.saturationPriors[k] })),
  ];
}
