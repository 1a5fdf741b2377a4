// Sampler progress turned into one number with an ETA: fitMMM reports each chain's iteration; chains run in parallel
// and a remedy rerun starts them again, so the tracker sums iterations over chains and notices restarts.

/** Where a fit is: the share of the sampler's iterations done (all chains), its phase, and an estimate of the rest. */
export interface ProgressState {
  /** 0 … 1 over all chains of the current attempt */
  fraction: number;
  phase: 'warmup' | 'sampling';
  divergences: number;
  /** 1 for the first run, 2 … for automatic reruns (remedies) */
  attempt: number;
  elapsedSeconds: number;
  /** seconds left in this attempt at the rate so far (undefined until 2% is done) */
  etaSeconds: number | undefined;
}

/** What fitMMM's `onProgress` reports. */
export interface SamplerProgress {
  chain: number;
  iteration: number;
  total: number;
  warmup: boolean;
  divergences: number;
}

/** Follows fitMMM's progress reports; `update` is what to pass as `onProgress`. */
export class ProgressTracker {
  private readonly done = new Map<number, number>();
  private readonly totals = new Map<number, number>();
  private readonly warm = new Map<number, boolean>();
  private readonly divergent = new Map<number, number>();
  private start: number;
  private attempt = 1;

  /**
   * @param chains - how many chains run (for the total before every chain has reported)
   * @param onState - called after every report
   * @param now - a clock in milliseconds (for tests)
   */
  constructor(
    private readonly chains: number,
    private readonly onState: (s: ProgressState) => void,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.start = now();
  }

  /** Pass as fitMMM's `onProgress`. */
  readonly update = (p: SamplerProgress): void => {
    const before = this.done.get(p.chain) ?? 0;
    if (p.iteration < before) {
      // the chain started again: a remedy rerun
      this.attempt++;
      this.done.clear();
      this.totals.clear();
      this.warm.clear();
      this.divergent.clear();
      this.start = this.now();
    }
    this.done.set(p.chain, p.iteration);
    this.totals.set(p.chain, p.total);
    this.warm.set(p.chain, p.warmup);
    this.divergent.set(p.chain, p.divergences);
    this.onState(this.state());
  };

  /** The state now. */
  state(): ProgressState {
    let done = 0;
    let total = 0;
    let perChain = 0;
    for (const [c, t] of this.totals) {
      total += t;
      done += this.done.get(c) ?? 0;
      perChain = Math.max(perChain, t);
    }
    total += Math.max(0, this.chains - this.totals.size) * perChain;
    const fraction = total > 0 ? Math.min(1, done / total) : 0;
    const elapsedSeconds = (this.now() - this.start) / 1000;
    let divergences = 0;
    for (const d of this.divergent.values()) divergences += d;
    const phase = [...this.warm.values()].some((w) => w) ? 'warmup' : 'sampling';
    return { fraction, phase, divergences, attempt: this.attempt, elapsedSeconds, etaSeconds: fraction >= 0.02 ? (elapsedSeconds * (1 - fraction)) / fraction : undefined };
  }
}

/** Seconds as `1m 05s` or `12s`. */
export function formatSeconds(s: number | undefined): string {
  if (s === undefined || !Number.isFinite(s)) return '?';
  const r = Math.round(s);
  return r >= 60 ? `${Math.floor(r / 60)}m ${String(r % 60).padStart(2, '0')}s` : `${r}s`;
}
