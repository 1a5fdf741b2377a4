// Request/response over a worker: each call gets an id, progress messages go to its callback, the result or the
// typed error settles its promise. `reset` terminates the worker (cancel) and starts a fresh one.
import type { WorkerFailure, WorkerReply } from './protocol.js';

/** Omit over each member of a union (a request without its id). */
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

export class WorkerClient<Req extends { id: number }> {
  private worker: Worker;
  private next = 1;
  private pending = new Map<
    number,
    { resolve: (v: unknown) => void; reject: (e: WorkerFailure) => void; progress?: (p: unknown) => void }
  >();

  constructor(private readonly make: () => Worker) {
    this.worker = this.start();
  }

  private start(): Worker {
    const w = this.make();
    w.addEventListener('message', (e: MessageEvent<WorkerReply>) => {
      const m = e.data;
      const p = this.pending.get(m.id);
      if (!p) return;
      if (m.type === 'progress') p.progress?.(m.progress);
      else {
        this.pending.delete(m.id);
        if (m.type === 'result') p.resolve(m.result);
        else p.reject(m.error);
      }
    });
    w.addEventListener('error', (e) => {
      for (const p of this.pending.values()) p.reject({ name: 'WorkerError', message: `the worker failed: ${e.message}` });
      this.pending.clear();
    });
    return w;
  }

  call<T>(req: WithoutId<Req>, progress?: (p: unknown) => void): Promise<T> {
    const id = this.next++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, progress });
      this.worker.postMessage({ ...req, id });
    });
  }

  /** Stops whatever runs (pending calls fail with "cancelled") and starts a new worker. */
  reset(): void {
    this.worker.terminate();
    for (const p of this.pending.values()) p.reject({ name: 'AbortedError', message: 'Cancelled.' });
    this.pending.clear();
    this.worker = this.start();
  }
}
