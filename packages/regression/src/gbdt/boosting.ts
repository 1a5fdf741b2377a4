import {
  ANY,
  InvalidInputError,
  assertInRange,
  assertInteger,
  checkOptions,
  optionKeys,
  type AbortSignalLike,
  type OptionShape,
} from '@mmm/core';
import { createRng } from '@mmm/bayes-nuts';
import { readDesign, readResponse, type Design, type DesignInput } from '../design.js';

/**
 * One regression tree as flat arrays (node 0 the root). An internal node sends x to `left` when
 * x[feature] ≤ threshold, else to `right`; a leaf has feature −1 and holds `value`. `cover` is the number of training
 * rows that reached the node (TreeSHAP's weights).
 */
export interface Tree {
  feature: number[];
  threshold: number[];
  left: number[];
  right: number[];
  value: number[];
  cover: number[];
}

/** A fitted gradient-boosted ensemble (squared loss): prediction = base + Σ_trees learningRate·tree(x). */
export interface BoostedModel {
  base: number;
  learningRate: number;
  trees: Tree[];
  /** features the model was fitted on */
  features: number;
  /** validation loss (mean squared error) after each round, when early stopping was on */
  validationLoss: number[];
  /** rounds kept (early stopping keeps the best) */
  rounds: number;
}

/** Options of {@link gradientBoosting}. */
export interface BoostingOptions {
  /** @defaultValue 500 */
  nEstimators?: number;
  /** @defaultValue 0.05 */
  learningRate?: number;
  /** @defaultValue 3 */
  maxDepth?: number;
  /** @defaultValue 8 */
  minSamplesLeaf?: number;
  /** L2 penalty on leaf values (XGBoost's λ); @defaultValue 1 */
  lambda?: number;
  /** share of rows drawn (without replacement) for each tree; @defaultValue 1 */
  subsample?: number;
  /** histogram bins per feature (quantiles of the training values); @defaultValue 64 */
  maxBins?: number;
  /**
   * early stopping on the last `validation` share of the rows (time order: the tail is the future); stops after
   * `patience` rounds without improvement and keeps the best round. @defaultValue no early stopping
   */
  validation?: number;
  /** @defaultValue 20 */
  patience?: number;
  /** @defaultValue 1 */
  seed?: number;
  signal?: AbortSignalLike;
}

/** Quantile bin edges per feature: the values at which splits may fall. @internal */
function binEdges(d: Design, rows: Int32Array, maxBins: number): Float64Array[] {
  return d.cols.map((c) => {
    const v = Float64Array.from(rows, (i) => c[i]).sort();
    const edges: number[] = [];
    for (let b = 1; b < maxBins; b++) {
      const q = v[Math.min(v.length - 1, Math.floor((b * v.length) / maxBins))];
      if (edges.length === 0 || q > edges[edges.length - 1]) edges.push(q);
    }
    // a split "≤ edge" must leave someone on the right
    while (edges.length && edges[edges.length - 1] >= v[v.length - 1]) edges.pop();
    return Float64Array.from(edges);
  });
}

/** Each row's bin per feature: the first edge ≥ the value (edges.length when above them all). @internal */
function binned(d: Design, edges: Float64Array[]): Uint16Array[] {
  return d.cols.map((c, j) => {
    const e = edges[j];
    return Uint16Array.from(c, (v) => {
      let lo = 0;
      let hi = e.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (e[mid] >= v) hi = mid;
        else lo = mid + 1;
      }
      return lo;
    });
  });
}

/** Grows one tree on the gradient (residuals) of the rows given, depth-first, best histogram split per node. @internal */
function growTree(
  bins: Uint16Array[],
  edges: Float64Array[],
  residual: Float64Array,
  rows: Int32Array,
  o: Required<Pick<BoostingOptions, 'maxDepth' | 'minSamplesLeaf' | 'lambda'>>,
): Tree {
  const tree: Tree = { feature: [], threshold: [], left: [], right: [], value: [], cover: [] };
  const p = bins.length;
  const grow = (idx: Int32Array, depth: number): number => {
    const node = tree.feature.length;
    let sum = 0;
    for (const i of idx) sum += residual[i];
    tree.feature.push(-1);
    tree.threshold.push(0);
    tree.left.push(-1);
    tree.right.push(-1);
    tree.value.push(sum / (idx.length + o.lambda));
    tree.cover.push(idx.length);
    if (depth >= o.maxDepth || idx.length < 2 * o.minSamplesLeaf) return node;
    // gain of a split: S_L²/(n_L + λ) + S_R²/(n_R + λ) − S²/(n + λ)
    const parent = (sum * sum) / (idx.length + o.lambda);
    let best = 1e-12 * Math.abs(parent);
    let bestFeature = -1;
    let bestBin = -1;
    for (let j = 0; j < p; j++) {
      const nb = edges[j].length + 1;
      if (nb < 2) continue;
      const hs = new Float64Array(nb);
      const hn = new Int32Array(nb);
      const bj = bins[j];
      for (const i of idx) {
        hs[bj[i]] += residual[i];
        hn[bj[i]]++;
      }
      let sl = 0;
      let nl = 0;
      for (let b = 0; b < nb - 1; b++) {
        sl += hs[b];
        nl += hn[b];
        const nr = idx.length - nl;
        if (nl < o.minSamplesLeaf || nr < o.minSamplesLeaf) continue;
        const sr = sum - sl;
        const gain = (sl * sl) / (nl + o.lambda) + (sr * sr) / (nr + o.lambda) - parent;
        if (gain > best) {
          best = gain;
          bestFeature = j;
          bestBin = b;
        }
      }
    }
    if (bestFeature < 0) return node;
    const bj = bins[bestFeature];
    const leftIdx = idx.filter((i) => bj[i] <= bestBin);
    const rightIdx = idx.filter((i) => bj[i] > bestBin);
    tree.feature[node] = bestFeature;
    tree.threshold[node] = edges[bestFeature][bestBin];
    tree.left[node] = grow(leftIdx, depth + 1);
    tree.right[node] = grow(rightIdx, depth + 1);
    return node;
  };
  grow(rows, 0);
  return tree;
}

/** The value of one tree at row i of a design (or at a point). @internal */
export function treeValue(tree: Tree, x: (j: number) => number): number {
  let k = 0;
  while (tree.feature[k] >= 0) k = x(tree.feature[k]) <= tree.threshold[k] ? tree.left[k] : tree.right[k];
  return tree.value[k];
}

/** The keys of {@link BoostingOptions}, for `checkOptions` (typos refused). */
export const BOOSTING_OPTIONS_SHAPE: OptionShape = optionKeys<BoostingOptions>({
  nEstimators: ANY,
  learningRate: ANY,
  maxDepth: ANY,
  minSamplesLeaf: ANY,
  lambda: ANY,
  subsample: ANY,
  maxBins: ANY,
  validation: ANY,
  patience: ANY,
  seed: ANY,
  signal: ANY,
});

/**
 * Gradient-boosted regression trees with squared loss, as LightGBM and XGBoost grow them: features binned at
 * quantiles (`maxBins`), each tree fitted to the current residuals with histogram split search, depth limit, a
 * minimum of rows per leaf and an L2 penalty on leaf values, shrunk by `learningRate`; optional row subsampling and
 * early stopping on the time-ordered tail of the rows. Seeded.
 * @example
 * const model = gradientBoosting(X, y, { nEstimators: 300, maxDepth: 3, validation: 0.2 });
 * predictBoosted(model, Xnew);
 */
export function gradientBoosting(X: DesignInput, y: ArrayLike<number>, options: BoostingOptions = {}): BoostedModel {
  checkOptions(options, BOOSTING_OPTIONS_SHAPE, 'options');
  const d = readDesign(X);
  const yv = readResponse(y, d.n);
  const nEstimators = options.nEstimators ?? 500;
  assertInteger('nEstimators', nEstimators, 1);
  const learningRate = options.learningRate ?? 0.05;
  assertInRange('learningRate', learningRate, { lower: 0, lowerOpen: true, upper: 1 });
  const maxDepth = options.maxDepth ?? 3;
  assertInteger('maxDepth', maxDepth, 1);
  const minSamplesLeaf = options.minSamplesLeaf ?? 8;
  assertInteger('minSamplesLeaf', minSamplesLeaf, 1);
  const lambda = options.lambda ?? 1;
  assertInRange('lambda', lambda, { lower: 0 });
  const subsample = options.subsample ?? 1;
  assertInRange('subsample', subsample, { lower: 0, lowerOpen: true, upper: 1 });
  const maxBins = options.maxBins ?? 64;
  assertInteger('maxBins', maxBins, 2);
  if (maxBins > 65535) throw new InvalidInputError('maxBins', `is ${maxBins}`, 'Use at most 65,535 bins.');
  const patience = options.patience ?? 20;
  assertInteger('patience', patience, 1);
  const nValid = options.validation === undefined ? 0 : Math.round(options.validation * d.n);
  if (options.validation !== undefined) assertInRange('validation', options.validation, { lower: 0, lowerOpen: true, upper: 0.5 });
  const nTrain = d.n - nValid;
  if (nTrain < 2 * minSamplesLeaf)
    throw new InvalidInputError(
      'X',
      `has ${nTrain} training rows`,
      `Give at least 2 × minSamplesLeaf = ${2 * minSamplesLeaf} rows to fit on.`,
    );
  const rng = createRng(options.seed ?? 1, 17);
  const trainRows = Int32Array.from({ length: nTrain }, (_, i) => i);
  const edges = binEdges(d, trainRows, maxBins);
  const bins = binned(d, edges);
  let base = 0;
  for (let i = 0; i < nTrain; i++) base += yv[i];
  base /= nTrain;
  const pred = new Float64Array(d.n).fill(base);
  const residual = new Float64Array(d.n);
  const trees: Tree[] = [];
  const validationLoss: number[] = [];
  let bestLoss = Infinity;
  let bestRounds = 0;
  const m = Math.max(2 * minSamplesLeaf, Math.round(subsample * nTrain));
  for (let r = 0; r < nEstimators; r++) {
    if (options.signal?.aborted) break;
    for (let i = 0; i < d.n; i++) residual[i] = yv[i] - pred[i];
    let rows = trainRows;
    if (m < nTrain) {
      // a seeded partial Fisher–Yates draw of m rows, kept in time order
      const perm = Int32Array.from(trainRows);
      for (let i = 0; i < m; i++) {
        const k = i + Math.floor(rng.uniform() * (nTrain - i));
        const t = perm[i];
        perm[i] = perm[k];
        perm[k] = t;
      }
      rows = perm.slice(0, m).sort();
    }
    const tree = growTree(bins, edges, residual, rows, { maxDepth, minSamplesLeaf, lambda });
    trees.push(tree);
    for (let i = 0; i < d.n; i++) pred[i] += learningRate * treeValue(tree, (j) => d.cols[j][i]);
    if (nValid > 0) {
      let loss = 0;
      for (let i = nTrain; i < d.n; i++) loss += (yv[i] - pred[i]) ** 2;
      loss /= nValid;
      validationLoss.push(loss);
      if (loss < bestLoss) {
        bestLoss = loss;
        bestRounds = r + 1;
      } else if (r + 1 - bestRounds >= patience) break;
    } else bestRounds = r + 1;
  }
  return { base, learningRate, trees: trees.slice(0, bestRounds), features: d.p, validationLoss, rounds: bestRounds };
}

/** Predictions of a boosted model for each row of X. */
export function predictBoosted(model: BoostedModel, X: DesignInput): Float64Array {
  const d = readDesign(X);
  if (d.p !== model.features) throw new InvalidInputError('X', `has ${d.p} columns`, `The model was fitted on ${model.features}.`);
  return Float64Array.from({ length: d.n }, (_, i) => {
    let s = model.base;
    for (const t of model.trees) s += model.learningRate * treeValue(t, (j) => d.cols[j][i]);
    return s;
  });
}
