// Messages between the page and its workers. Every heavy computation runs in a worker: fits (and their chains, in
// nested workers), method comparisons and CLV in the compute worker; budget evaluations and optimisation in the plan
// worker, which holds the fit so a slider move sends only the amounts.
import type { DesignExperimentsOptions, EvaluateScheduleOptions, OptimizeBudgetOptions, PlanScheduleOptions } from '@mmm/pipeline';

export type Rows = Array<Record<string, string>>;

/** A typed error as it crosses a worker boundary. */
export interface WorkerFailure {
  name: string;
  message: string;
  field?: string;
}

export type ComputeRequest =
  | { id: number; op: 'fit'; rows: Rows; options: Record<string, unknown> }
  | { id: number; op: 'compare'; rows: Rows; options: Record<string, unknown>; methods: string[]; holdout: number }
  | {
      id: number;
      op: 'clv';
      rows: Rows;
      columns: { customer: string; date: string; amount: string };
      model: 'bgnbd' | 'paretonbd';
      months: number;
    }
  | { id: number; op: 'refitExperiment'; rows: Rows; options: Record<string, unknown>; fit: unknown; design: unknown; outcomes: number }
  | {
      id: number;
      op: 'value';
      media: Rows;
      mapping: { date: string; channels: string[]; controls: string[] };
      transactions: Rows;
      columns: { customer: string; date: string; amount: string; acquisition?: string };
      months: number;
      seed: number;
    };

export type PlanRequest =
  | { id: number; op: 'setFit'; fit: unknown }
  | { id: number; op: 'evaluate'; allocation: Record<string, number> }
  | { id: number; op: 'optimize'; options: OptimizeBudgetOptions }
  | { id: number; op: 'schedule'; options: PlanScheduleOptions }
  | { id: number; op: 'evaluateSchedule'; options: EvaluateScheduleOptions }
  | { id: number; op: 'experiments'; options: DesignExperimentsOptions };

export type WorkerReply =
  | { id: number; type: 'progress'; progress: unknown }
  | { id: number; type: 'result'; result: unknown }
  | { id: number; type: 'error'; error: WorkerFailure };

export function failure(e: unknown): WorkerFailure {
  const err = e instanceof Error ? e : new Error(String(e));
  const field = (err as { field?: string }).field;
  return { name: err.name, message: err.message, ...(field ? { field } : {}) };
}
