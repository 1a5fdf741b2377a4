// A small benchmark harness for `npm run bench` (repository-only, not published). Each case is calibrated to
// run for about `targetMs`, then timed `repeats` times; the median of the repeats is reported, since
// machines are shared and noisy. A case returns a number that is checked, so its work cannot be dropped.
import { performance } from 'node:perf_hooks';

export interface BenchCase {
  name: string;
  /** the work; returns a value that must be finite */
  run: () => number;
  /** elements processed per call, for ns/element */
  elements?: number;
}

export interface BenchResult {
  name: string;
  medianMs: number;
  minMs: number;
  maxMs: number;
  nsPerElement?: number;
}

export function bench(cases: BenchCase[], options: { targetMs?: number; repeats?: number } = {}): BenchResult[] {
  const { targetMs = 200, repeats = 9 } = options;
  const results: BenchResult[] = [];
  for (const c of cases) {
    for (let i = 0; i < 3; i++) check(c, c.run()); // warm up the JIT
    let iters = 1;
    for (;;) {
      const t0 = performance.now();
      for (let i = 0; i < iters; i++) check(c, c.run());
      const dt = performance.now() - t0;
      if (dt >= targetMs / 4 || iters >= 1 << 24) {
        iters = Math.max(1, Math.round((iters * targetMs) / Math.max(dt, 1e-3)));
        break;
      }
      iters *= 4;
    }
    const samples: number[] = [];
    for (let r = 0; r < repeats; r++) {
      const t0 = performance.now();
      for (let i = 0; i < iters; i++) check(c, c.run());
      samples.push((performance.now() - t0) / iters);
    }
    samples.sort((a, b) => a - b);
    const medianMs = samples[repeats >> 1];
    results.push({
      name: c.name,
      medianMs,
      minMs: samples[0],
      maxMs: samples[repeats - 1],
      nsPerElement: c.elements ? (medianMs * 1e6) / c.elements : undefined,
    });
  }
  return results;
}

function check(c: BenchCase, v: number): void {
  if (!Number.isFinite(v)) throw new Error(`${c.name}: non-finite result ${v}`);
}

export function printResults(title: string, results: BenchResult[]): void {
  console.log(`\n${title}`);
  console.log('| case | median ms/call | min–max ms | ns/element |');
  console.log('|---|---:|---:|---:|');
  for (const r of results) {
    const ns = r.nsPerElement === undefined ? '' : r.nsPerElement.toFixed(2);
    console.log(`| ${r.name} | ${fmt(r.medianMs)} | ${fmt(r.minMs)}–${fmt(r.maxMs)} | ${ns} |`);
  }
}

function fmt(ms: number): string {
  return ms < 0.1 ? ms.toFixed(4) : ms < 10 ? ms.toFixed(3) : ms.toFixed(1);
}
