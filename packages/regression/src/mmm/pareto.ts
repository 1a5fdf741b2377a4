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
    for (let k = 1; k < sorted.length - 1; k++)
      d.set(sorted[k], d.get(sorted[k])! + (points[sorted[k + 1]][o] - points[sorted[k - 1]][o]) / (hi - lo));
  }
  return d;
}

/**
 * The first front alone in O(n log n): sorted by the first objective (ties by the second), a point is on the front
 * when its second objective is below every earlier point's (or it equals the last front point). Non-finite points are
 * never on it. @internal
 */
export function paretoFront(points: ReadonlyArray<readonly [number, number]>): number[] {
  const order = points.map((_, i) => i).filter((i) => Number.isFinite(points[i][0]) && Number.isFinite(points[i][1]));
  order.sort((a, b) => points[a][0] - points[b][0] || points[a][1] - points[b][1]);
  const front: number[] = [];
  let best = Infinity;
  for (const i of order) {
    const last = front[front.length - 1];
    // a point equal to the last one in both objectives is not dominated either
    if (points[i][1] < best || (last !== undefined && points[i][0] === points[last][0] && points[i][1] === points[last][1])) {
      front.push(i);
      best = points[i][1];
    }
  }
  return front;
}
