// A module Web Worker that runs MMM chains (started by the compute worker's fitMMM, one per chain at a time).
import { serveChains } from '@mmm/bayes-nuts/parallel';
import { createMMMTarget } from '@mmm/model';

serveChains({ '@mmm/model': { createMMMTarget } });
