// What the page knows: the data and its mapping, the fit, the plan and the workers that compute them.
import type { AllocationResult } from '@mmm/optimize';
import type { ExperimentDesigns, MMMFit, MethodComparison, RefitExperimentResult, SchedulePlan } from '@mmm/pipeline';
import { WorkerClient } from './client.js';
import type { ComputeRequest, PlanRequest, Rows } from './protocol.js';

export interface Mapping {
  date: string;
  target: string;
  geo: string;
  population: string;
  channels: string[];
  controls: string[];
  /** organic media (exposures, no spend) and non-media treatments */
  organic: string[];
  treatments: string[];
  /** reach-and-frequency channels (their spend column is left out of `channels`) */
  reachFrequency: Array<{ name: string; reach: string; frequency: string; spend: string }>;
}

export interface Scenario {
  name: string;
  budget: number;
  allocation: Record<string, number>;
  expected: number;
  lower: number;
  upper: number;
}

export const state: {
  rows: Rows;
  dataName: string;
  mapping?: Mapping;
  fit?: MMMFit;
  /** the rows and options the fit was made with here (absent for a fit loaded from a file) */
  fitRun?: { rows: Rows; options: Record<string, unknown> };
  plan?: AllocationResult;
  /** the last optimised calendar (plans over time) */
  schedule?: SchedulePlan;
  /** the last lift-test designs */
  experiments?: ExperimentDesigns;
  /** the best design judged by refitting */
  experimentRefit?: RefitExperimentResult;
  comparison?: MethodComparison;
  scenarios: Scenario[];
  /** the loaded table's reach-and-frequency channels (<p>_reach, <p>_frequency, <p>_spend) */
  rfCandidates: Mapping['reachFrequency'];
} = { rows: [], dataName: '', scenarios: [], rfCandidates: [] };

export const compute = new WorkerClient<ComputeRequest>(
  () => new Worker(new URL('./compute-worker.ts', import.meta.url), { type: 'module' }),
);
export const planner = new WorkerClient<PlanRequest>(() => new Worker(new URL('./plan-worker.ts', import.meta.url), { type: 'module' }));
