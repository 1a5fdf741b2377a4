/**
 * Nesterov dual averaging of log step size toward a target acceptance statistic (Hoffman & Gelman 2014, §3.2),
 * with Stan's constants. State is plain data; `update` mutates it and returns the step size to use next.
 */
export interface DualAveraging {
  mu: number;
  counter: number;
  sBar: number;
  xBar: number;
  readonly delta: number;
  readonly gamma: number;
  readonly t0: number;
  readonly kappa: number;
}

/** Starts dual averaging around μ = log(10·ε₀). */
export function dualAveragingInit(stepSize: number, delta = 0.8, gamma = 0.05, t0 = 10, kappa = 0.75): DualAveraging {
  return { mu: Math.log(10 * stepSize), counter: 0, sBar: 0, xBar: 0, delta, gamma, t0, kappa };
}

/** Restarts the averages around a new step size (after a metric update), as Stan does. */
export function dualAveragingRestart(s: DualAveraging, stepSize: number): void {
  s.mu = Math.log(10 * stepSize);
  s.counter = 0;
  s.sBar = 0;
  s.xBar = 0;
}

/**
 * One update with the transition's acceptance statistic; returns the next step size exp(x).
 * @remarks
 * s̄ ← (1 − η)s̄ + η(δ − min(1, a)), η = 1/(t + t₀);  x = μ − √t·s̄/γ;  x̄ ← (1 − t^−κ)x̄ + t^−κ·x.
 */
export function dualAveragingUpdate(s: DualAveraging, acceptStat: number): number {
  s.counter += 1;
  const a = acceptStat > 1 ? 1 : acceptStat;
  const eta = 1 / (s.counter + s.t0);
  s.sBar = (1 - eta) * s.sBar + eta * (s.delta - a);
  const x = s.mu - (s.sBar * Math.sqrt(s.counter)) / s.gamma;
  const w = Math.pow(s.counter, -s.kappa);
  s.xBar = (1 - w) * s.xBar + w * x;
  return Math.exp(x);
}

/** The adapted step size at the end of warmup, exp(x̄). */
export function dualAveragingFinal(s: DualAveraging): number {
  return Math.exp(s.xBar);
}
