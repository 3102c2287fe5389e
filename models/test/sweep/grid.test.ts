import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { configurationsOf, GridError, parseGrid } from '../../src/sweep/grid';

const minimal = {
  trainings: [{ name: 'unet' }],
  explains: [
    { layer: 'enc1', sign: 'abs' },
    { layer: 'enc2', sign: 'relu' },
  ],
};

describe('grid files', () => {
  it('fills defaults', () => {
    const grid = parseGrid(minimal);
    assert.equal(grid.seed, 0);
    assert.equal(grid.evaluateAt, 'original');
    assert.deepEqual(grid.targets, ['loss']);
    assert.deepEqual(grid.transforms, [{ normalize: false, sigma: 0 }]);
    assert.deepEqual(grid.combine, []);
  });

  it('names the key at fault', () => {
    assert.throws(
      () => parseGrid({ ...minimal, trainings: [{ name: 'a', skip: false }] }),
      /trainings\[0\]: unknown key "skip"/,
    );
    assert.throws(() => parseGrid({ ...minimal, explains: [{ layer: 'enc1', sign: 'both' }] }), /explains\[0\]\.sign/);
    assert.throws(() => parseGrid({ ...minimal, base: { loss: 'l3' } }), /grid base: loss: must be one of/);
    assert.throws(() => parseGrid({ ...minimal, trainings: [{ name: 'a' }, { name: 'a' }] }), GridError);
    assert.throws(() => parseGrid({ ...minimal, transforms: [{ normalize: true, sigma: -1 }] }), /sigma/);
    assert.throws(() => parseGrid({ ...minimal, trainings: [{ name: 'a', seed: 1.5 }] }), /trainings\[0\]\.seed/);
    assert.throws(() => parseGrid({ ...minimal, trainings: [{ name: 'a', epochs: 0 }] }), /trainings\[0\]\.epochs/);
    assert.throws(() => parseGrid({ ...minimal, trainings: [{ name: 'a', depth: 0 }] }), /trainings\[0\]\.depth/);
    assert.throws(
      () => parseGrid({ ...minimal, trainings: [{ name: 'a', batchNorm: 'no' }] }),
      /trainings\[0\]\.batchNorm/,
    );
    assert.throws(
      () => parseGrid({ ...minimal, trainings: [{ name: 'a', learningRate: 0 }] }),
      /trainings\[0\]\.learningRate/,
    );
    assert.throws(
      () => parseGrid({ ...minimal, trainings: [{ name: 'a', options: { mapLayer: 'enc2' } }] }),
      /trainings\[0\]\.options\.mapLayer: is not a training option/,
    );
    assert.throws(
      () => parseGrid({ ...minimal, trainings: [{ name: 'a', options: { syntheticDefects: 2 } }] }),
      /trainings\[0\]\.options: syntheticDefects: must be a number in 0\.\.1/,
    );
    assert.throws(
      () => parseGrid({ ...minimal, explains: [{ layer: 'enc1', sign: 'abs', weighting: 'pixel' }] }),
      /explains\[0\]\.weighting: must be one of channel, element/,
    );
  });

  it('takes training options of vad run per training, and LayerCAM as an explain weighting', () => {
    const grid = parseGrid({
      ...minimal,
      trainings: [{ name: 'draem', options: { syntheticDefects: 0.5, supervisionWeight: 1 } }],
      explains: [{ layer: 'enc1', sign: 'abs', weighting: 'element' }],
    });
    assert.deepEqual(grid.trainings[0]!.options, { syntheticDefects: 0.5, supervisionWeight: 1 });
    assert.equal(grid.explains[0]!.weighting, 'element');
    const ids = configurationsOf(grid, grid.trainings[0]!).map((c) => c.id);
    assert.ok(ids.includes('draem; attention-loss @ enc1 abs layercam; raw'), ids.join(' | '));
  });

  it('lists residual and SSIM once per transform, and each Grad-CAM map once per explain setting', () => {
    const grid = parseGrid({
      ...minimal,
      targets: ['loss', 'residual'],
      transforms: [
        { normalize: false, sigma: 0 },
        { normalize: true, sigma: 2 },
      ],
      combine: ['sum'],
    });
    const configurations = configurationsOf(grid, grid.trainings[0]!);
    // 2 transforms x (residual + ssim + msgms + 2 explains x (2 targets + 1 combination)).
    assert.equal(configurations.length, 2 * (3 + 2 * 3));
    assert.equal(new Set(configurations.map((c) => c.id)).size, configurations.length);
    assert.ok(
      configurations.some((c) => c.id === 'unet; sum(attention-loss, residual) @ enc2 relu; per-pixel norm, blur 2'),
    );
    assert.equal(configurations.filter((c) => c.map === 'residual').length, 2);
  });
});
