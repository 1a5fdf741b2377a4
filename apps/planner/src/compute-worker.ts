// The compute worker: fits (chains in nested chain workers), method comparisons and CLV, off the page's thread.
import { probabilityAliveGrid, scoreCustomers } from '@mmm/clv';
import {
  compareMethods,
  fitCustomerValue,
  fitMMM,
  refitExperiment,
  type ComparisonMethod,
  type ExperimentDesign,
  type FitMMMOptions,
  type FitProgress,
  type ModelFit,
} from '@mmm/pipeline';
import { failure, type ComputeRequest, type WorkerReply } from './protocol.js';

const post = (m: WorkerReply) => (self as unknown as Worker).postMessage(m);
const cores = Math.max(1, Math.min(4, navigator.hardwareConcurrency || 2));

async function handle(req: ComputeRequest): Promise<unknown> {
  if (req.op === 'fit') {
    let last = 0;
    const options = req.options as unknown as FitMMMOptions;
    return fitMMM(req.rows, {
      ...options,
      workers: cores,
      createWorker: () => new Worker(new URL('./chain-worker.ts', import.meta.url), { type: 'module' }),
      onProgress: (p: FitProgress) => {
        const now = performance.now();
        if (now - last < 100 && p.fraction < 1) return;
        last = now;
        post({ id: req.id, type: 'progress', progress: p });
      },
      search: {
        ...(options.search ?? {}),
        onProgress: (p: { evaluated: number; total: number }) =>
          post({
            id: req.id,
            type: 'progress',
            progress: { fraction: p.evaluated / Math.max(1, p.total), phase: 'search', evaluated: p.evaluated, total: p.total },
          }),
      },
    });
  }
  if (req.op === 'compare') {
    return compareMethods(
      req.rows,
      {
        ...(req.options as unknown as FitMMMOptions),
        createWorker: () => new Worker(new URL('./chain-worker.ts', import.meta.url), { type: 'module' }),
        workers: cores,
      },
      { methods: req.methods as ComparisonMethod[], holdout: req.holdout },
    );
  }
  if (req.op === 'value') return value(req);
  if (req.op === 'refitExperiment')
    // the best design judged by refitting with simulated results, each refit's chains on the chain workers
    return refitExperiment(
      req.rows,
      {
        ...(req.options as unknown as FitMMMOptions),
        workers: cores,
        createWorker: () => new Worker(new URL('./chain-worker.ts', import.meta.url), { type: 'module' }),
      },
      req.fit as ModelFit,
      req.design as ExperimentDesign,
      { outcomes: req.outcomes, onOutcome: (done, total) => post({ id: req.id, type: 'progress', progress: { done, total } }) },
    );
  return clv(req);
}

/** Channels valued by their customers (fitCustomerValue), without its MMM fit (the page shows the figures only). */
async function value(req: Extract<ComputeRequest, { op: 'value' }>) {
  const { mmm: _fit, ...rest } = await fitCustomerValue({
    media: req.media,
    date: req.mapping.date,
    channels: req.mapping.channels,
    ...(req.mapping.controls.length ? { controls: req.mapping.controls } : {}),
    transactions: req.transactions,
    customer: req.columns.customer,
    transactionDate: req.columns.date,
    amount: req.columns.amount,
    ...(req.columns.acquisition ? { acquisitionChannel: req.columns.acquisition } : {}),
    horizonMonths: req.months,
    seed: req.seed,
    mmm: { workers: cores, createWorker: () => new Worker(new URL('./chain-worker.ts', import.meta.url), { type: 'module' }) },
  });
  void _fit;
  return rest;
}

/** Per-customer scores (scoreCustomers) and the P(alive) grid for the heat map. */
function clv(req: Extract<ComputeRequest, { op: 'clv' }>) {
  const r = scoreCustomers(req.rows, { ...req.columns, unit: 'weeks', model: req.model, months: req.months });
  const s = r.summary;
  const maxT = Math.max(...Array.from(s.T));
  const grid = probabilityAliveGrid(r.transactions, {
    maxFrequency: Math.min(30, Math.max(...Array.from(s.frequency))),
    T: maxT,
    steps: 40,
  });
  return {
    report: s.report,
    model: r.transactions.model,
    params: r.transactions.params,
    standardErrors: r.transactions.standardErrors,
    logLikelihood: r.transactions.logLikelihood,
    spend: r.spend.params,
    grid,
    maxT,
    horizon: r.horizon,
    customers: {
      id: s.customer,
      frequency: Array.from(s.frequency),
      recency: Array.from(s.recency),
      T: Array.from(s.T),
      monetaryValue: Array.from(s.monetaryValue),
      pAlive: Array.from(r.pAlive),
      expected52: Array.from(r.expected),
      clv: Array.from(r.clv),
    },
  };
}

self.addEventListener('message', (e: MessageEvent<ComputeRequest>) => {
  const req = e.data;
  handle(req).then(
    (result) => post({ id: req.id, type: 'result', result }),
    (err: unknown) => post({ id: req.id, type: 'error', error: failure(err) }),
  );
});
