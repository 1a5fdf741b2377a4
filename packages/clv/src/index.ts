export { summarizeTransactions } from './summarize.js';
export type { SummarizeOptions, CustomerSummary } from './summarize.js';
export type { CustomerColumns } from './data.js';
export type { FitOptions, ModelFit } from './fit-core.js';
export { fitBGNBD, fitMBGNBD } from './bgnbd.js';
export { probabilityAlive, expectedPurchases, expectedPurchasesNew, probabilityOfPurchases } from './predictions.js';
export type { BgNbdParams, BgNbdFit } from './bgnbd.js';
export { fitGammaGamma, expectedAverageValue } from './gamma-gamma.js';
export type { GammaGammaParams, GammaGammaFit, SpendColumns } from './gamma-gamma.js';
export { fitBGBB } from './bgbb.js';
export type { BgBbParams, BgBbFit, DiscreteColumns } from './bgbb.js';
export { customerLifetimeValue, PERIODS_PER_MONTH, probabilityAliveGrid, expectedPurchasesGrid, calibrationHoldoutTable } from './clv.js';
export type { ClvOptions, FrequencyRecencyGrid, CalibrationHoldoutRow } from './clv.js';
export type { FitLike } from './data.js';
export {
  fitParetoNBD,
  paretoNbdProbabilityAlive,
  paretoNbdExpectedPurchases,
  paretoNbdExpectedPurchasesNew,
  paretoNbdProbabilityOfPurchases,
} from './pareto-nbd.js';
export type { ParetoNbdParams, ParetoNbdFit } from './pareto-nbd.js';
export { discountedExpectedTransactions } from './dert.js';
export { fitBGNBDBayes, fitGammaGammaBayes, predictionInterval } from './bayesian.js';
export type { BayesianFitOptions, BayesianClvFit, PredictionInterval } from './bayesian.js';
export { scoreCustomers } from './score.js';
export type { ScoreCustomersOptions, CustomerScores } from './score.js';
