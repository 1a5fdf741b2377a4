import './transforms.bench.js';
