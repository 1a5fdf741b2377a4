// The run's stopping rule (SampleOptions.earlyStop): at fixed draw counts, the chains' draws so far are judged by
// multi-chain R-hat and bulk and tail ESS of every coordinate and of the log density; sampling stops at the first
// count where all meet their targets. The rule reads only the chains' own draws at counts fixed in advance, so where
// a run stops depends on the seed and the target alone, not on threads or timing.
import { convergence } from '@mmm/diagnostics';
import type { EarlyStopReport, Progress, StopCheck } from './sample-options.js';

/** The stopping rule with its defaults filled in. @internal */
export interface StopRule {
  ess: number;
  rhat: number;
  every: number;
  minDraws: number;
}

/** The draw counts at which a run is judged: `minDraws`, then every `every` draws, below the ceiling. @internal */
export function checkpoints(rule: StopRule, ceiling: number): number[] {
  const out: number[] = [];
  for (let n = rule.minDraws; n < ceiling; n += rule.every) out.push(n);
  return out;
}

/** A chain the rule can step (a `ChainStepper`). @internal */
interface Steppable {
  draws: Float64Array;
  stats: { logDensity: Float64Array };
  sampleTo(n: number): void;
}

/** A chain's draws so far, as the rule reads them. @internal */
export interface ChainDraws {
  draws: Float64Array;
  logDensity: Float64Array;
}

/**
 * Judges chains' first `n` draws against a rule: the log density and each coordinate in turn, starting from the one
 * that failed last time (a check stops at the first failure, so a run that is far from done costs one parameter). @internal
 */
export class StopJudge {
  private first = -1;
  private readonly columns: Float64Array[];

  constructor(
    readonly dim: number,
    readonly rule: StopRule,
    chains: number,
    ceiling: number,
  ) {
    this.columns = Array.from({ length: chains }, () => new Float64Array(ceiling));
  }

  check(chains: ReadonlyArray<ChainDraws>, n: number): StopCheck {
    const { dim, rule } = this;
    const cols = this.columns.map((c) => c.subarray(0, n));
    const order = [this.first, ...Array.from({ length: dim + 1 }, (_, k) => k - 1).filter((j) => j !== this.first)];
    let worst = { essBulk: Infinity, essTail: Infinity, rhat: 0 };
    for (const j of order) {
      chains.forEach((ch, c) => {
        const col = cols[c];
        if (j < 0) col.set(ch.logDensity.subarray(0, n));
        else for (let i = 0; i < n; i++) col[i] = ch.draws[i * dim + j];
      });
      const f = convergence(cols);
      const met = f.rhat <= rule.rhat && f.essBulk >= rule.ess && f.essTail >= rule.ess;
      if (!met) {
        this.first = j;
        return { draws: n, met: false, parameter: j, ...f, targetEss: rule.ess, targetRhat: rule.rhat };
      }
      worst = {
        essBulk: Math.min(worst.essBulk, f.essBulk),
        essTail: Math.min(worst.essTail, f.essTail),
        rhat: Math.max(worst.rhat, f.rhat),
      };
    }
    return { draws: n, met: true, parameter: -1, ...worst, targetEss: rule.ess, targetRhat: rule.rhat };
  }
}

/**
 * Runs warmed-up chains on this thread in steps to the checkpoints, judging them at each, and returns the draws per
 * chain to keep (the first checkpoint where the rule is met, or the ceiling) with the checks made. Each check is also
 * reported as a run-level progress (chain −1, with `check`). @internal
 */
export function runToStop(
  steppers: ReadonlyArray<Steppable>,
  rule: StopRule,
  ceiling: number,
  dim: number,
  onProgress: ((p: Progress) => void) | undefined,
): { kept: number; checks: StopCheck[] } {
  const checks: StopCheck[] = [];
  const judge = new StopJudge(dim, rule, steppers.length, ceiling);
  const views = steppers.map((st) => ({ draws: st.draws, logDensity: st.stats.logDensity }));
  for (const n of checkpoints(rule, ceiling)) {
    for (const st of steppers) st.sampleTo(n);
    const check = judge.check(views, n);
    checks.push(check);
    onProgress?.(checkProgress(check, ceiling));
    if (check.met) return { kept: n, checks };
  }
  for (const st of steppers) st.sampleTo(ceiling);
  return { kept: ceiling, checks };
}

/** A check as a run-level progress report: chain −1, its draws of the ceiling. @internal */
export function checkProgress(check: StopCheck, ceiling: number): Progress {
  return { chain: -1, iteration: check.draws, total: ceiling, warmup: false, divergences: 0, check };
}

/** What a run says of its stop: the draws kept, the ceiling, why, and its checks (the last one's figures). @internal */
export function earlyStopReport(kept: number, ceiling: number, checks: readonly StopCheck[]): EarlyStopReport {
  // checks after the one that met the targets (a worker's verdict comes a step late) are not the run's
  const judged = checks.filter((c) => c.draws <= kept);
  const last = judged.at(-1);
  return { draws: kept, ceiling, reason: kept < ceiling ? 'targets met' : 'ceiling', checks: judged.length, ...(last ? { last } : {}) };
}
