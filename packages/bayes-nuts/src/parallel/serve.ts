// The worker side of sampleParallel in browsers: answers chain requests in a module Web Worker. A request names its
// target as { module, export, data }; `serveChains` looks the module up in the given registry first (so a bundled
// worker can import the model statically, e.g. `serveChains({ '@mmm/model': { createMMMTarget } })`) and otherwise
// imports it by URL.
import { InvalidInputError, isMmmError } from '@mmm/core';
import { runChain, startChain } from '../chain.js';
import { checkpoints } from '../early-stop.js';
import { resolveOptions } from '../sample-options.js';
import type { ChainRequest, HostMessage, RunDecision, TargetFactory, WorkerMessage } from './protocol.js';
import { transferList } from './protocol.js';
import type { LogDensity } from '../log-density.js';
import type { Progress, SampleOptions } from '../sample-options.js';

interface WorkerScope {
  onmessage: ((e: { data: HostMessage }) => void) | null;
  postMessage(message: WorkerMessage, transfer?: ArrayBuffer[]): void;
}

/** Modules a worker can build targets from without importing them by URL: module name → its exports. */
export type TargetRegistry = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

/**
 * Makes the current module Web Worker answer `sampleParallel`'s chain requests. Call it once at the top of your worker
 * script; give the modules your targets come from in `registry` when the worker is bundled (Vite, webpack).
 */
export function serveChains(registry: TargetRegistry = {}): void {
  const scope = globalThis as unknown as WorkerScope;
  scope.onmessage = (e) => answerHostMessage(e.data, (m, transfer) => scope.postMessage(m, transfer), registry);
}

/**
 * Answers one chain request, in any host: builds the target from its factory (from `registry`, or by importing the
 * module), runs the chain with progress messages when asked, and posts the result or the error (typed errors keep
 * their type across the boundary). Shared by the Node worker and the browser worker. @internal
 */
export async function answerChainRequest(
  req: ChainRequest,
  post: (message: WorkerMessage, transfer?: ArrayBuffer[]) => void,
  registry: TargetRegistry = {},
): Promise<void> {
  try {
    const mod = (registry[req.spec.module] ?? (await import(/* @vite-ignore */ req.spec.module))) as Record<string, unknown>;
    const factory = mod[req.spec.export ?? 'default'] as TargetFactory | undefined;
    if (typeof factory !== 'function')
      throw new InvalidInputError(
        'spec.export',
        `${req.spec.module} has no exported function "${req.spec.export ?? 'default'}"`,
        'Name a function the module exports that builds the target from spec.data.',
      );
    const target = await factory(req.spec.data);
    const { reportProgress, ...options } = req.options;
    const onProgress = reportProgress ? (progress: Progress) => post({ type: 'progress', progress }) : undefined;
    if (req.group) {
      await runGroup(target, { ...options, onProgress }, req.group, post);
      return;
    }
    const result = runChain(target, { ...options, onProgress }, req.chain);
    post({ type: 'done', result }, transferList(result));
  } catch (err) {
    const error = isMmmError(err)
      ? err.toJSON()
      : { name: (err as Error)?.name ?? 'Error', message: String((err as Error)?.message ?? err) };
    post({ type: 'error', error });
  }
}

/** Verdicts of the stopping rule that reached this worker, by draws per chain, and a step waiting for one. */
const verdicts = new Map<number, boolean>();
let waiting: { draws: number; resolve: (stop: boolean) => void } | undefined;

/**
 * Routes a message from the host: a verdict of the stopping rule to the group waiting for it, a chain request to
 * `answerChainRequest`. @internal
 */
export function answerHostMessage(
  m: HostMessage,
  post: (message: WorkerMessage, transfer?: ArrayBuffer[]) => void,
  registry: TargetRegistry = {},
): void {
  if (m.type === 'decision') receiveVerdict(m);
  else void answerChainRequest(m, post, registry);
}

function receiveVerdict(m: RunDecision): void {
  verdicts.set(m.draws, m.stop);
  if (waiting?.draws === m.draws) {
    const w = waiting;
    waiting = undefined;
    w.resolve(m.stop);
  }
}

function verdictAt(draws: number): Promise<boolean> {
  const known = verdicts.get(draws);
  if (known !== undefined) return Promise.resolve(known);
  return new Promise((resolve) => (waiting = { draws, resolve }));
}

/**
 * A worker's group of chains under the run's stopping rule: each warms up, then all sample in steps to the rule's
 * checkpoints, sending each step's draws to the host; after each step the worker waits for the verdict on the step
 * before (so a step's draws are judged while the next is sampled) and stops at the first count the host accepts.
 * Chains that ran past it are cut there: the run keeps the same draws as on one thread. @internal
 */
async function runGroup(
  target: LogDensity,
  options: SampleOptions,
  group: readonly number[],
  post: (message: WorkerMessage, transfer?: ArrayBuffer[]) => void,
): Promise<void> {
  verdicts.clear();
  const s = resolveOptions(target, options);
  const dim = target.dim;
  const steppers = group.map((c) => startChain(target, options, c));
  for (const st of steppers) st.warmup();
  const points = s.earlyStop ? checkpoints(s.earlyStop, s.draws) : [];
  let kept = s.draws;
  let from = 0;
  for (let k = 0; k <= points.length && kept === s.draws; k++) {
    const to = k < points.length ? points[k] : s.draws;
    for (const st of steppers) {
      st.sampleTo(to);
      if (k < points.length) {
        const draws = st.draws.slice(from * dim, to * dim);
        const logDensity = st.stats.logDensity.slice(from, to);
        post({ type: 'block', chain: st.chain, from, to, draws, logDensity }, [draws.buffer, logDensity.buffer]);
      }
    }
    // the verdict on the step before (the last one's comes after the chains reached the ceiling)
    if (k > 0 && (await verdictAt(points[k - 1]))) kept = points[k - 1];
    from = to;
  }
  for (const st of steppers) {
    const result = st.result(Math.min(kept, st.done));
    post({ type: 'done', result }, transferList(result));
  }
}
