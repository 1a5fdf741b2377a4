// Stan's windowed adaptation as an init / update / final triple: dual averaging of the step size throughout warmup,
// and in each slow window of the schedule the metric estimated from the window's draws (Welford), after which the step
// size's search restarts. The chain loop calls `windowedAdaptationUpdate` after every warmup transition.
import { denseMetric, diagMetric, type Metric } from '../metric.js';
import { dualAveragingFinal, dualAveragingInit, dualAveragingRestart, dualAveragingUpdate, type DualAveraging } from './dual-averaging.js';
import { warmupSchedule, type AdaptationWindow } from './schedule.js';
import { welfordFinal, welfordInit, welfordRestart, welfordUpdate, type Welford } from './welford.js';

/** The state of a chain's warmup adaptation. */
export interface WindowedAdaptation {
  readonly dualAveraging: DualAveraging;
  readonly welford: Welford;
  readonly windows: readonly AdaptationWindow[];
  readonly dense: boolean;
  /** the slow window now being filled */
  window: number;
}

/** The adaptation of a warmup of `warmup` iterations, from step size `stepSize` toward acceptance `targetAccept`. */
export function windowedAdaptationInit(
  dim: number,
  dense: boolean,
  warmup: number,
  stepSize: number,
  targetAccept: number,
): WindowedAdaptation {
  return {
    dualAveraging: dualAveragingInit(stepSize, targetAccept),
    welford: welfordInit(dim, dense),
    windows: warmupSchedule(warmup),
    dense,
    window: 0,
  };
}

/**
 * After warmup transition `iteration` (0-based) with acceptance statistic `acceptStat`, at position `q`: the next step
 * size, and at the end of a slow window the window's metric. Then the caller searches a reasonable step size for the
 * new metric and hands it to {@link windowedAdaptationRestart}.
 */
export function windowedAdaptationUpdate(
  a: WindowedAdaptation,
  iteration: number,
  acceptStat: number,
  q: Float64Array,
): { stepSize: number; metric?: Metric } {
  const stepSize = dualAveragingUpdate(a.dualAveraging, acceptStat);
  const win = a.windows[a.window];
  if (!win || iteration < win.start || iteration > win.end) return { stepSize };
  welfordUpdate(a.welford, q);
  if (iteration !== win.end) return { stepSize };
  const estimate = welfordFinal(a.welford);
  const metric = a.dense ? denseMetric(estimate, q.length) : diagMetric(estimate);
  welfordRestart(a.welford);
  a.window += 1;
  return { stepSize, metric };
}

/** Restarts the step size's dual averaging at `stepSize` (after a new metric). */
export function windowedAdaptationRestart(a: WindowedAdaptation, stepSize: number): void {
  dualAveragingRestart(a.dualAveraging, stepSize);
}

/** The step size sampling uses: dual averaging's final average. */
export function windowedAdaptationFinal(a: WindowedAdaptation): number {
  return dualAveragingFinal(a.dualAveraging);
}
