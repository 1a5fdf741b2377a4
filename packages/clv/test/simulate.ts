// Seeded simulation of the BG/NBD, MBG/NBD and Pareto/NBD purchase processes with known parameters (test helper).
export function rng(seed: number) {
  let s = seed >>> 0;
  const u = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) + 0.5) / 4294967296;
  const normal = () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
  // Marsaglia & Tsang (2000) gamma(shape, 1)
  const gamma = (k: number): number => {
    if (k < 1) return gamma(k + 1) * Math.pow(u(), 1 / k);
    const d = k - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const uu = u();
      if (uu < 1 - 0.0331 * x ** 4 || Math.log(uu) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
    }
  };
  const beta = (a: number, b: number) => {
    const x = gamma(a);
    return x / (x + gamma(b));
  };
  return { u, gamma, beta };
}

/**
 * Customers first buying at time 0, observed for T, then for a holdout of length t. BG/NBD: after each repeat
 * purchase the customer leaves with probability p; MBG/NBD: also right after the first purchase.
 */
export function simulateBgNbd(
  n: number,
  p: { r: number; alpha: number; a: number; b: number },
  T: (i: number) => number,
  t: number,
  modified: boolean,
  seed: number,
) {
  const g = rng(seed);
  const frequency = new Float64Array(n);
  const recency = new Float64Array(n);
  const Ts = new Float64Array(n);
  const holdout = new Float64Array(n);
  // each customer's purchase rate, dropout probability and whether still active at T (the truth behind the data)
  const rate = new Float64Array(n);
  const dropout = new Float64Array(n);
  const aliveAtT = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const lambda = g.gamma(p.r) / p.alpha;
    const drop = g.beta(p.a, p.b);
    const Ti = T(i);
    Ts[i] = Ti;
    let time = 0;
    let alive = !(modified && g.u() < drop);
    let atT = alive;
    let x = 0;
    let last = 0;
    let h = 0;
    while (alive) {
      time += -Math.log(g.u()) / lambda;
      if (time > Ti + t) break;
      if (time <= Ti) {
        x++;
        last = time;
      } else h++;
      if (g.u() < drop) {
        alive = false;
        if (time <= Ti) atT = false;
      }
    }
    frequency[i] = x;
    recency[i] = x > 0 ? last : 0;
    holdout[i] = h;
    rate[i] = lambda;
    dropout[i] = drop;
    aliveAtT[i] = atT ? 1 : 0;
  }
  return { frequency, recency, T: Ts, holdout, rate, dropout, aliveAtT };
}

/**
 * Pareto/NBD customers first buying at time 0, observed for T, then for a holdout of length t: purchases at rate λ
 * until an exponential lifetime τ (rate μ) ends. Also returns each customer's λ, μ and whether alive at T.
 */
export function simulateParetoNbd(
  n: number,
  p: { r: number; alpha: number; s: number; beta: number },
  T: (i: number) => number,
  t: number,
  seed: number,
) {
  const g = rng(seed);
  const frequency = new Float64Array(n);
  const recency = new Float64Array(n);
  const Ts = new Float64Array(n);
  const holdout = new Float64Array(n);
  const rate = new Float64Array(n);
  const death = new Float64Array(n);
  const aliveAtT = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const lambda = g.gamma(p.r) / p.alpha;
    const mu = g.gamma(p.s) / p.beta;
    const tau = -Math.log(g.u()) / mu;
    const Ti = T(i);
    Ts[i] = Ti;
    for (let time = -Math.log(g.u()) / lambda; time <= Math.min(tau, Ti + t); time += -Math.log(g.u()) / lambda) {
      if (time <= Ti) {
        frequency[i]++;
        recency[i] = time;
      } else holdout[i]++;
    }
    rate[i] = lambda;
    death[i] = mu;
    aliveAtT[i] = tau > Ti ? 1 : 0;
  }
  return { frequency, recency, T: Ts, holdout, rate, death, aliveAtT };
}
