// The default module worker of the browser sampleParallel: imports each request's target module by URL.
import { serveChains } from './serve.js';

serveChains();
