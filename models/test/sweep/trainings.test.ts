import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';

import { loadDataset } from '../../src/datasets/load';
import type { Dataset } from '../../src/datasets';
import { parseGrid, trainingConfig } from '../../src/sweep';
import { suiteTempDir } from '../datasets/fixtures';
import { writeSyntheticMvtec } from '../pipeline/synthetic';

describe('a sweep training variant', () => {
  const tmp = suiteTempDir('sweep-trainings');
  let data: string;
  let dataset: Dataset;
  before(async () => {
    data = join(tmp.path, 'data');
    await writeSyntheticMvtec(data);
    dataset = await loadDataset(data);
  });

  it("changes the base's model and training settings it names, and only those", () => {
    const grid = parseGrid({
      base: { preset: 'tiny', device: 'cpu' },
      trainings: [
        { name: 'base' },
        { name: 'changed', depth: 1, batchNorm: false, learningRate: 3e-4, recomputeBatchNorm: true },
      ],
      explains: [{ layer: 'enc1', sign: 'abs' }],
      targets: ['loss'],
    });
    const base = trainingConfig(data, dataset, grid, grid.trainings[0]!);
    const changed = trainingConfig(data, dataset, grid, grid.trainings[1]!);
    assert.equal(base.model.batchNorm, true);
    assert.deepEqual(
      {
        depth: changed.model.depth,
        batchNorm: changed.model.batchNorm,
        learningRate: changed.train.learningRate,
        recomputeBatchNorm: changed.train.recomputeBatchNorm,
      },
      { depth: 1, batchNorm: false, learningRate: 3e-4, recomputeBatchNorm: true },
    );
    assert.notEqual(base.train.learningRate, 3e-4);
    assert.equal(base.train.recomputeBatchNorm, false);
    assert.deepEqual(
      { ...changed, model: { ...changed.model, depth: base.model.depth, batchNorm: true } },
      { ...base, train: { ...base.train, learningRate: 3e-4, recomputeBatchNorm: true } },
    );
  });
});
