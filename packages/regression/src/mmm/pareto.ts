/**
 * Pareto tools for two objectives, both minimised (Robyn's NRMSE and DECOMP.RSSD): non-dominated sorting and the
 * crowding distance of NSGA-II (Deb et al. 2002).
 * @packageDocumentation
 */

/** True when a is no worse than b in both objectives and better in one. @internal */
export function dominates(a: readonly [number, number], b: readonly [number, number]): boolean {
  return a[0] <= b[0] && a[1] <= b[1] && (a[0] < b[0] || a[1] < b[1]);
}

/**
 * Fronts of non-dominated sorting: front 0 holds the indices no point dominates, front 1 those only front 0
 * dominates, and so on. Points with a non-finite objective go last, in a front of their own. @internal
 */
export function nondominatedFronts(points: ReadonlyArray<readonly [number, number]>): number[][] {
  const n = points.length;
  const finite = (i: number) => Number.isFinite(points[i][0]) && Number.isFinite(points[i][1]);
  const dominatedBy = Array.from({ length: n }, () => [] as number[]);
  const count = new Int32Array(n);
  const fronts: number[][] = [[]];
  const bad: number[] = [];
  for (let i = 0; i < n; i++) {
    if (!finite(i)) {
      bad.push(i);
      continue;
    }
    for (let j = i + 1; j < n; j++) {
      if (!finite(j)) continue;
      if (dominates(points[i], points[j])) {
        dominatedBy[i].push(j);
        count[j]++;
      } else if (dominates(points[j], points[i])) {
        dominatedBy[j].push(i);
        count[i]++;
      }
    }
  }
  for (let i = 0; i < n; i++) if (finite(i) && count[i] === 0) fronts[0].push(i);
  for (let f = 0; fronts[f].length > 0; f++) {
    const next: number[] = [];
    for (const i of fronts[f]) for (const j of dominatedBy[i]) if (--count[j] === 0) next.push(j);
    fronts.push(next);
  }
  fronts.pop();
  if (bad.length) fronts.push(bad);
  return fronts;
}

/** NSGA-II's crowding distance of each point of one front (∞ at both ends of each objective). @internal */
export function crowdingDistance(points: ReadonlyArray<readonly [number, number]>, front: readonly number[]): Map<number, number> {
  const d = new Map(front.map((i) => [i, 0]));
  for (const o of [0, 1]) {
    const sorted = [...front].sort((a, b) => points[a][o] - points[b][o]);
    const lo = points[sorted[0]][o];
    const hi = points[sorted[sorted.length - 1]][o];
    d.set(sorted[0], Infinity);
    d.set(sorted[sorted.length - 1], Infinity);
    if (!(hi > lo)) continue;
    for (let k = 1; k < sorted.length - 1; k++) d.set(sorted[k], d.get(sorted[k])! + (points[sorted[k + 1]][o] - points[sorted[k - 1]][o]) / (hi - lo));
  }
  return d;
}
