import type { SamplerReport } from './sampler.js';
import type { SummaryRow } from './summary.js';

/** Thresholds of the {@link convergenceGate}. */
export interface GateThresholds {
  /** @defaultValue 1.01 */
  rhatMax?: number;
  /** @defaultValue 400 */
  essBulkMin?: number;
  /** @defaultValue 400 */
  essTailMin?: number;
  /** divergent transitions allowed; @defaultValue 0 */
  maxDivergences?: number;
}

/** One parameter that failed the gate and why. */
export interface GateFailure {
  name: string;
  reasons: string[];
}

/** The verdict of {@link convergenceGate}. */
export interface GateResult {
  passed: boolean;
  rhatMax: number;
  essBulkMin: number;
  essTailMin: number;
  divergences: number;
  failures: GateFailure[];
  /** sampler-level problems (divergences), with their fix */
  messages: string[];
}

/**
 * The convergence gate careful analysts apply by hand: every parameter's R-hat below `rhatMax`, bulk and tail ESS
 * above their minimums, and no more than `maxDivergences` divergent transitions. A statistic that could not be
 * computed (NaN: constant or non-finite draws) fails with that reason.
 * @param rows - the {@link summary} table
 * @param sampler - optional {@link samplerDiagnostics} report
 */
export function convergenceGate(rows: ReadonlyArray<SummaryRow>, sampler?: SamplerReport, thresholds: GateThresholds = {}): GateResult {
  const { rhatMax = 1.01, essBulkMin = 400, essTailMin = 400, maxDivergences = 0 } = thresholds;
  const failures: GateFailure[] = [];
  let worstRhat = -Infinity;
  let minBulk = Infinity;
  let minTail = Infinity;
  for (const r of rows) {
    const reasons: string[] = [];
    if (Number.isNaN(r.rhat)) reasons.push('R-hat could not be computed (constant or non-finite draws)');
    else if (!(r.rhat < rhatMax))
      reasons.push(`R-hat ${r.rhat.toFixed(3)} ≥ ${rhatMax}: chains disagree; run longer or check for multimodality`);
    if (Number.isNaN(r.essBulk)) reasons.push('bulk ESS could not be computed');
    else if (!(r.essBulk > essBulkMin)) reasons.push(`bulk ESS ${r.essBulk.toFixed(0)} ≤ ${essBulkMin}: draw more or reparameterise`);
    if (Number.isNaN(r.essTail)) reasons.push('tail ESS could not be computed');
    else if (!(r.essTail > essTailMin))
      reasons.push(`tail ESS ${r.essTail.toFixed(0)} ≤ ${essTailMin}: tails are poorly explored; draw more`);
    if (reasons.length > 0) failures.push({ name: r.name, reasons });
    worstRhat = Math.max(worstRhat, Number.isNaN(r.rhat) ? Infinity : r.rhat);
    minBulk = Math.min(minBulk, Number.isNaN(r.essBulk) ? 0 : r.essBulk);
    minTail = Math.min(minTail, Number.isNaN(r.essTail) ? 0 : r.essTail);
  }
  const divergences = sampler?.divergences ?? 0;
  const messages: string[] = [];
  if (divergences > maxDivergences) messages.push(...(sampler?.warnings.filter((w) => w.includes('diverged')) ?? []));
  return {
    passed: failures.length === 0 && divergences <= maxDivergences,
    rhatMax: worstRhat,
    essBulkMin: minBulk,
    essTailMin: minTail,
    divergences,
    failures,
    messages,
  };
}
