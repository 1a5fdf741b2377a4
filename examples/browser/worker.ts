// The module Web Worker that runs MMM chains: bundled by Vite with the model, so no runtime import by URL is needed.
import { serveChains } from '@mmm/bayes-nuts/parallel';
import { createMMMTarget } from '@mmm/model';

serveChains({ '@mmm/model': { createMMMTarget } });
