import { InvalidInputError } from '@mmm/core';
import { readDesign, type DesignInput } from '../design.js';
import type { BoostedModel, Tree } from './boosting.js';

/** One element of a TreeSHAP path: the feature, the fractions of zero and one paths that flow through, the weight. */
interface PathElement {
  d: number;
  z: number;
  o: number;
  w: number;
}

/** Grows the path by a split on feature `pi` (Lundberg et al. 2018, Algorithm 2, EXTEND). @internal */
function extend(m: readonly PathElement[], pz: number, po: number, pi: number): PathElement[] {
  const l = m.length;
  const out = m.map((e) => ({ ...e }));
  out.push({ d: pi, z: pz, o: po, w: l === 0 ? 1 : 0 });
  for (let k = l - 1; k >= 0; k--) {
    out[k + 1].w += (po * out[k].w * (k + 1)) / (l + 1);
    out[k].w = (pz * out[k].w * (l - k)) / (l + 1);
  }
  return out;
}

/** Undoes the extension by path element i (UNWIND). @internal */
function unwind(m: readonly PathElement[], i: number): PathElement[] {
  const L = m.length;
  const { z, o } = m[i];
  const w = m.map((e) => e.w);
  let n = w[L - 1];
  for (let k = L - 2; k >= 0; k--) {
    if (o !== 0) {
      const t = w[k];
      w[k] = (n * L) / ((k + 1) * o);
      n = t - (w[k] * z * (L - (k + 1))) / L;
    } else {
      w[k] = (w[k] * L) / (z * (L - (k + 1)));
    }
  }
  const out: PathElement[] = [];
  for (let k = 0; k < L - 1; k++) {
    const src = k >= i ? m[k + 1] : m[k];
    out.push({ d: src.d, z: src.z, o: src.o, w: w[k] });
  }
  return out;
}

/**
 * Exact SHAP values of one tree at one point, the path-dependent TreeSHAP of Lundberg, Erion & Lee (2018, Algorithm
 * 2): the Shapley values of the game v(S) = E[f(x) | x_S], the expectation taken over the training rows that reached
 * each node (`cover`). Adds into `phi`; returns the tree's expected value E[f].
 */
export function treeShapInto(phi: Float64Array, tree: Tree, x: (j: number) => number): number {
  const recurse = (node: number, m: readonly PathElement[], pz: number, po: number, pi: number): void => {
    const path = extend(m, pz, po, pi);
    const feature = tree.feature[node];
    if (feature < 0) {
      for (let i = 1; i < path.length; i++) {
        const u = unwind(path, i);
        let w = 0;
        for (const e of u) w += e.w;
        phi[path[i].d] += w * (path[i].o - path[i].z) * tree.value[node];
      }
      return;
    }
    const goesLeft = x(feature) <= tree.threshold[node];
    const hot = goesLeft ? tree.left[node] : tree.right[node];
    const cold = goesLeft ? tree.right[node] : tree.left[node];
    let iz = 1;
    let io = 1;
    let rest = path;
    const k = path.findIndex((e, idx) => idx > 0 && e.d === feature);
    if (k > 0) {
      iz = path[k].z;
      io = path[k].o;
      rest = unwind(path, k);
    }
    recurse(hot, rest, (iz * tree.cover[hot]) / tree.cover[node], io, feature);
    recurse(cold, rest, (iz * tree.cover[cold]) / tree.cover[node], 0, feature);
  };
  recurse(0, [], 1, 1, -1);
  return expectedValue(tree, 0);
}

/** E[f] over the training rows: leaf values weighted by cover. @internal */
function expectedValue(tree: Tree, node: number): number {
  if (tree.feature[node] < 0) return tree.value[node];
  const l = tree.left[node];
  const r = tree.right[node];
  return (tree.cover[l] * expectedValue(tree, l) + tree.cover[r] * expectedValue(tree, r)) / tree.cover[node];
}

/**
 * Exact SHAP values of a boosted model for each row of X (TreeSHAP per tree, scaled by the learning rate): `values`
 * is rows × features and, for every row, Σ_j values[i][j] + `expected` equals the model's prediction (local
 * accuracy). Attributions of a non-causal model: they say how the model uses each feature, not what a feature causes.
 */
export function shapValues(model: BoostedModel, X: DesignInput): { values: number[][]; expected: number } {
  const d = readDesign(X);
  if (d.p !== model.features) throw new InvalidInputError('X', `has ${d.p} columns`, `The model was fitted on ${model.features}.`);
  let expected = model.base;
  for (const t of model.trees) expected += model.learningRate * expectedValue(t, 0);
  const phi = new Float64Array(d.p);
  const values = Array.from({ length: d.n }, (_, i) => {
    const row = new Float64Array(d.p);
    for (const t of model.trees) {
      phi.fill(0);
      treeShapInto(phi, t, (j) => d.cols[j][i]);
      for (let j = 0; j < d.p; j++) row[j] += model.learningRate * phi[j];
    }
    return Array.from(row);
  });
  return { values, expected };
}
