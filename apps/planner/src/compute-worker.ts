// The compute worker: fits (chains in nested chain workers), method comparisons and CLV, off the page's thread.
import { customerLifetimeValue, expectedPurchases, fitBGNBD, fitGammaGamma, fitParetoNBD, probabilityAlive, probabilityAliveGrid, summarizeTransactions } from '@mmm/clv';
import { compareMethods, fitMMM, type ComparisonMethod, type FitMMMOptions, type FitProgress } from '@mmm/pipeline';
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
      search: { ...(options.search ?? {}), onProgress: (p: { evaluated: number; total: number }) => post({ id: req.id, type: 'progress', progress: { fraction: p.evaluated / Math.max(1, p.total), phase: 'search', evaluated: p.evaluated, total: p.total } }) },
    });
  }
  if (req.op === 'compare') {
    return compareMethods(req.rows, { ...(req.options as unknown as FitMMMOptions), createWorker: () => new Worker(new URL('./chain-worker.ts', import.meta.url), { type: 'module' }), workers: cores }, { methods: req.methods as ComparisonMethod[], holdout: req.holdout });
  }
  return clv(req);
}

/** RFM summary, purchase and spend models, P(alive) grid and per-customer CLV. */
function clv(req: Extract<ComputeRequest, { op: 'clv' }>) {
  const s = summarizeTransactions(req.rows, { ...req.columns, unit: 'weeks' });
  const customers = { frequency: s.frequency, recency: s.recency, T: s.T, monetaryValue: s.monetaryValue };
  const tx = req.model === 'bgnbd' ? fitBGNBD(customers) : fitParetoNBD(customers);
  const repeat = Array.from(s.frequency.keys()).filter((i) => s.frequency[i] > 0 && s.monetaryValue[i] > 0);
  const gg = fitGammaGamma({ frequency: repeat.map((i) => s.frequency[i]), monetaryValue: repeat.map((i) => s.monetaryValue[i]) });
  const value = customerLifetimeValue(tx, gg, customers, { months: req.months, periodsPerMonth: 365.25 / 12 / 7 });
  const alive = probabilityAlive(tx, customers);
  const next = expectedPurchases(tx, customers, 52);
  const maxT = Math.max(...Array.from(s.T));
  const grid = probabilityAliveGrid(tx, { maxFrequency: Math.min(30, Math.max(...Array.from(s.frequency))), T: maxT, steps: 40 });
  return {
    report: s.report,
    model: tx.model,
    params: tx.params,
    standardErrors: tx.standardErrors,
    logLikelihood: tx.logLikelihood,
    spend: gg.params,
    grid,
    maxT,
    customers: { id: s.customer, frequency: Array.from(s.frequency), recency: Array.from(s.recency), T: Array.from(s.T), monetaryValue: Array.from(s.monetaryValue), pAlive: Array.from(alive), expected52: Array.from(next), clv: Array.from(value) },
  };
}

self.addEventListener('message', (e: MessageEvent<ComputeRequest>) => {
  const req = e.data;
  handle(req).then(
    (result) => post({ id: req.id, type: 'result', result }),
    (err: unknown) => post({ id: req.id, type: 'error', error: failure(err) }),
  );
});
