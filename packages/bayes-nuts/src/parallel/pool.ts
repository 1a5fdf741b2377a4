import { AbortedError, WorkerError, reviveError, type AbortSignalLike } from '@mmm/core';
import { sampleResult } from '../runs.js';
import { resolveEarlyStop, type ChainResult, type Progress, type SampleResult, type StopCheck } from '../sample-options.js';
import { checkProgress, checkpoints, earlyStopReport, StopJudge, type ChainDraws, type StopRule } from '../early-stop.js';
import type { HostMessage, PlainSampleOptions, TargetFactorySpec, WorkerMessage } from './protocol.js';

/** A worker as the pool drives it, whatever the host (Node worker thread or Web Worker). @internal */
export interface PoolWorker {
  post(message: HostMessage): void;
  /** Node's worker threads return a promise, Web Workers nothing */
  terminate(): unknown;
}

/**
 * Runs `chains` chains on `nWorkers` workers, giving each idle worker the next chain, and gathers the results in
 * chain order. With `earlyStop` each worker runs its share of the chains together (chains w, w + nWorkers, …) and
 * sends their draws at the rule's checkpoints; this thread judges them (see {@link Coordinator}). The host supplies
 * `create(onMessage, onError)`; everything else (progress, typed errors, abort,
 * clean-up) is shared. @internal
 */
export async function runPool(
  spec: TargetFactorySpec,
  options: PlainSampleOptions & { chains: number; warmup?: number; seed: number },
  nWorkers: number,
  create: (onMessage: (m: WorkerMessage) => void, onError: (e: Error) => void) => PoolWorker,
  onProgress: ((p: Progress) => void) | undefined,
  signal: AbortSignalLike | undefined,
): Promise<SampleResult> {
  const chains = options.chains;
  const results: ChainResult[] = new Array(chains);
  const rule = resolveEarlyStop(options.earlyStop);
  const ceiling = options.draws ?? 1000;
  const coordinator = rule
    ? new Coordinator(rule, chains, ceiling, onProgress, (m) => {
        for (const w of pool) w.post(m);
      })
    : undefined;
  const pool: PoolWorker[] = [];
  const cleanup: Array<() => void> = [];
  if (signal?.aborted) throw new AbortedError('Sampling was cancelled before it started.');
  try {
    await new Promise<void>((resolve, reject) => {
      let next = 0;
      let done = 0;
      let failed = false;
      const fail = (e: Error) => {
        if (!failed) {
          failed = true;
          reject(e);
        }
      };
      if (signal?.addEventListener)
        signal.addEventListener('abort', () => fail(new AbortedError('Sampling was cancelled.')), { once: true });
      else if (signal) {
        // a signal without events is polled
        const poll = setInterval(() => signal.aborted && fail(new AbortedError('Sampling was cancelled.')), 50);
        cleanup.push(() => clearInterval(poll));
      }
      const dispatch = (w: PoolWorker) => {
        if (!failed && next < chains) w.post({ spec, options, chain: next++ });
      };
      for (let k = 0; k < nWorkers; k++) {
        const w: PoolWorker = create((m) => {
          if (m.type === 'progress') onProgress?.(m.progress);
          else if (m.type === 'block') coordinator!.receive(m.chain, m.from, m.to, m.draws, m.logDensity);
          else if (m.type === 'error')
            fail(m.error.code ? reviveError(m.error) : new WorkerError(`a chain threw ${m.error.name}: ${m.error.message}`));
          else {
            results[m.result.chain] = m.result;
            done += 1;
            if (done === chains) resolve();
            else dispatch(w);
          }
        }, fail);
        pool.push(w);
        if (!coordinator) dispatch(w);
      }
      if (coordinator) {
        // each worker its share of the chains, run together under the stopping rule
        next = chains;
        pool.forEach((w, k) => {
          const group = Array.from({ length: Math.ceil((chains - k) / nWorkers) }, (_, i) => k + i * nWorkers);
          w.post({ spec, options, chain: group[0], group });
        });
      }
    });
  } finally {
    for (const f of cleanup) f();
    await Promise.all(pool.map((w) => w.terminate()));
  }
  const first = results[0];
  const result = sampleResult(first.draws.length / first.stats.divergent.length, options.warmup ?? 1000, options.seed, results);
  return coordinator ? { ...result, earlyStop: earlyStopReport(result.draws, ceiling, coordinator.checks) } : result;
}

/**
 * The coordinating thread's side of the stopping rule: gathers the chains' draws as the workers send them, judges
 * each checkpoint once every chain has reached it (in order), reports the check as progress and sends the verdict to
 * every worker. After the first verdict to stop it judges no more. @internal
 */
class Coordinator {
  readonly checks: StopCheck[] = [];
  private readonly points: number[];
  private readonly reached: Int32Array;
  private chainDraws: ChainDraws[] = [];
  private judge: StopJudge | undefined;
  private next = 0;
  private stopped = false;

  constructor(
    private readonly rule: StopRule,
    private readonly chains: number,
    private readonly ceiling: number,
    private readonly onProgress: ((p: Progress) => void) | undefined,
    private readonly broadcast: (m: HostMessage) => void,
  ) {
    this.points = checkpoints(rule, ceiling);
    this.reached = new Int32Array(chains);
  }

  receive(chain: number, from: number, to: number, draws: Float64Array, logDensity: Float64Array): void {
    if (this.stopped) return;
    if (!this.judge) {
      // the dimension is learned from the first block
      const dim = draws.length / (to - from);
      this.judge = new StopJudge(dim, this.rule, this.chains, this.ceiling);
      this.chainDraws = Array.from({ length: this.chains }, () => ({
        draws: new Float64Array(this.ceiling * dim),
        logDensity: new Float64Array(this.ceiling),
      }));
    }
    const dim = this.judge.dim;
    this.chainDraws[chain].draws.set(draws, from * dim);
    this.chainDraws[chain].logDensity.set(logDensity, from);
    this.reached[chain] = to;
    while (!this.stopped && this.next < this.points.length && this.reached.every((r) => r >= this.points[this.next])) {
      const n = this.points[this.next++];
      const check = this.judge.check(this.chainDraws, n);
      this.checks.push(check);
      this.onProgress?.(checkProgress(check, this.ceiling));
      this.stopped = check.met;
      this.broadcast({ type: 'decision', draws: n, stop: check.met });
    }
  }
}
