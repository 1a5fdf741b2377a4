export { summarizeTransactions } from './summarize.js';
export type { SummarizeOptions, CustomerSummary } from './summarize.js';
export type { CustomerColumns } from './data.js';
export type { FitOptions, ModelFit } from './fit-core.js';
export { fitBGNBD, fitMBGNBD, probabilityAlive, expectedPurchases, expectedPurchasesNew } from './bgnbd.js';
export type { BgNbdParams, BgNbdFit } from './bgnbd.js';
