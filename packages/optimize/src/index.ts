export { minimize } from './minimize.js';
export type { Objective, MinimizeOptions, MinimizeResult, StopReason } from './minimize.js';
export { mediaResponseCurve, isDrawCurve } from './curves.js';
export type { PointCurve, DrawCurve, BudgetCurve, MediaCurveSpec } from './curves.js';
export { allocateBudget, ALLOCATE_OPTION_KEYS } from './allocate.js';
export type { AllocateOptions, AllocationResult, BudgetObjective, KktReport } from './allocate.js';
export { budgetForResponse, budgetForMarginalRoas, efficientFrontier, compareScenarios } from './inverse.js';
export type { BudgetSearchOptions, Scenario } from './inverse.js';
