import type { LogDensity } from '@mmm/bayes-nuts';
import { prepareModelData, type RawModelData } from './data.js';
import { buildModel } from './model.js';
import type { ModelSpec } from './spec.js';

/**
 * Builds the MMM's log density from plain data: the factory that `sampleParallel` workers call, with
 * `{ module: '@mmm/model', export: 'createMMMTarget', data: { spec, raw } }`.
 */
export function createMMMTarget(data: { spec: ModelSpec; raw: RawModelData }): LogDensity {
  const { data: prepared } = prepareModelData(data.spec, data.raw);
  return buildModel(data.spec, prepared).density;
}
