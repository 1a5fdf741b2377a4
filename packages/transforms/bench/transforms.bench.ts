// `npm run bench`: geometric adstock + Hill on a national panel (156 weeks × 10 channels) and a large one
// (10,000 periods × 50 channels), in ns per element (median of 9 timed repeats), value alone and value with
// the full gradient (Hill VJP, then adstock VJP), as a model's log density uses them.
import { bench, printResults } from '../../../scripts/bench-harness.js';
import {
  adstockFamilies,
  adstockInto,
  adstockVjp,
  createAdstockWorkspace,
  geometricAdstockWeights,
  hillInto,
  hillVjp,
} from '../src/index.js';

function panel(rows: number, cols: number, seed: number): Float64Array[] {
  let s = seed >>> 0;
  const next = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
  return Array.from({ length: cols }, () => Float64Array.from({ length: rows }, () => (next() < 0.3 ? 0 : next())));
}

for (const [rows, cols] of [
  [156, 10],
  [10_000, 50],
] as const) {
  const x = panel(rows, cols, 42);
  const a = new Float64Array(rows);
  const h = new Float64Array(rows);
  const g = new Float64Array(rows).fill(1);
  const gx = new Float64Array(rows);
  const gp = new Float64Array(2);
  const ga = new Float64Array(1);
  const w = geometricAdstockWeights(0.6, 8, true);
  const ws = createAdstockWorkspace(adstockFamilies.geometric, 8);
  const elements = rows * cols;
  const results = bench([
    {
      name: 'geometric adstock (L = 8) + Hill',
      elements,
      run: () => {
        let check = 0;
        for (let c = 0; c < cols; c++) {
          adstockInto(a, x[c], w);
          hillInto(h, a, 0.4, 1.5);
          check += h[rows - 1];
        }
        return check;
      },
    },
    {
      name: 'value + gradient (Hill VJP + adstock VJP)',
      elements,
      run: () => {
        let check = 0;
        for (let c = 0; c < cols; c++) {
          adstockInto(a, x[c], w);
          hillVjp(a, 0.4, 1.5, g, gp, gx);
          adstockVjp(adstockFamilies.geometric, x[c], [0.6], true, gx, ga, ws);
          check += ga[0] + gp[0];
        }
        return check;
      },
    },
  ]);
  printResults(`@mmm/transforms: ${rows} × ${cols} (${elements} elements)`, results);
}
