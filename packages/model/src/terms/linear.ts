import { InvalidInputError } from '@mmm/core';
import { scalarNames, type PriorSpec } from '@mmm/bayes-nuts';
import { copyBlocks, dot, type ModelTerm, type TermComponent, type TermFactory } from './term.js';

/** Fixed columns X (n × K) as one row-major array or as K column arrays. @internal */
type Columns = { rowMajor: Float64Array; K: number } | { columns: readonly Float64Array[] };

/** μ_t += Σ_k w_k·X_tk, in the loop order of the columns' layout. @internal */
function addColumnsInto(mu: Float64Array, X: Columns, w: ArrayLike<number>, n: number): void {
  if ('rowMajor' in X) {
    const { rowMajor: F, K } = X;
    for (let t = 0; t < n; t++) {
      let s = 0;
      const o = t * K;
      for (let k = 0; k < K; k++) s += w[k] * F[o + k];
      mu[t] += s;
    }
  } else {
    const cols = X.columns;
    for (let k = 0; k < cols.length; k++) {
      const z = cols[k];
      const wk = w[k];
      for (let t = 0; t < n; t++) mu[t] += wk * z[t];
    }
  }
}

/**
 * A linear term Σ_k w_k·X_tk on fixed columns, not centred (its columns have mean about 0 by construction): the
 * Fourier seasonality and the standardised controls. ∂/∂w_k = Σ_t g_t X_tk.
 */
function linearColumnsTerm(
  name: string,
  component: TermComponent,
  X: Columns,
  K: number,
  prior: PriorSpec,
  block: string = name,
): TermFactory {
  return ({ data }): ModelTerm => {
    const n = data.n;
    let w: Float64Array;
    let gw: Float64Array;
    const term: ModelTerm = {
      name,
      component,
      blocks: [{ name: block, size: K, prior }],
      parameters: [{ name: block, size: K, prior }],
      bind(values, grads) {
        w = values[block];
        gw = grads[block];
      },
      prepare() {},
      addMean: (mu) => addColumnsInto(mu, X, w, n),
      backward(g) {
        if ('rowMajor' in X) {
          const F = X.rowMajor;
          for (let t = 0; t < n; t++) {
            const o = t * K;
            const gg = g[t];
            for (let k = 0; k < K; k++) gw[k] += gg * F[o + k];
          }
        } else for (let k = 0; k < K; k++) gw[k] += dot(g, X.columns[k], n);
        return 0;
      },
      toNatural: (sampled, out) => copyBlocks(term, sampled, out),
      toSampled: (natural, out) => copyBlocks(term, natural, out),
      contributionInto(out, natural) {
        out.fill(0);
        addColumnsInto(out, X, natural[block], n);
        return out;
      },
      designColumns: () =>
        scalarNames({ name: block, size: K }).map((nm, k) => ({
          name: nm,
          values: 'rowMajor' in X ? Float64Array.from({ length: n }, (_, t) => X.rowMajor[t * X.K + k]) : X.columns[k],
        })),
    };
    return term;
  };
}

/** Fourier seasonality Σ_k γ_k·F_tk on the data's Fourier features (sin₁, cos₁, …; block `fourier`). */
export function seasonalityTerm(prior: PriorSpec): TermFactory {
  return (context) => {
    const { fourier, fourierColumns: K } = context.data;
    return linearColumnsTerm('fourier', 'seasonality', { rowMajor: fourier, K }, K, prior)(context);
  };
}

/** Controls Σ_j δ_j·z_tj on the standardised control series (block `control`). */
export function controlsTerm(prior: PriorSpec): TermFactory {
  return (context) => {
    const columns = context.data.controls;
    return linearColumnsTerm('control', 'controls', { columns }, columns.length, prior)(context);
  };
}

/**
 * A non-media treatment τ·x̃_t on its scaled series x̃ = (x − min)/(max − min) (block `<name>.treatment`, signed prior): a
 * term of its own, so that its contribution is reported apart from the controls'.
 */
export function treatmentTerm(name: string, index: number, prior: PriorSpec): TermFactory {
  return (context) => {
    const x = context.data.treatments?.[index];
    if (!x) throw new InvalidInputError(`data.treatments[${index}]`, 'is missing', `Give the series of treatment ${name}.`);
    return linearColumnsTerm(name, 'other', { columns: [x] }, 1, prior, `${name}.treatment`)(context);
  };
}
