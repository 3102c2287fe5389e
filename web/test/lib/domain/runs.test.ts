import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  estimateSecondsLeft,
  imageSizeStep,
  layersOf,
  toStartRunInput,
  type LaunchForm,
} from '../../../lib/domain/runs';

const form: LaunchForm = {
  datasetId: 'd1',
  name: ' nightly ',
  preset: 'SMALL',
  imageSize: '',
  epochs: '',
  loss: '',
  layer: '',
  attentionWeight: '',
  device: 'AUTO',
};

describe('toStartRunInput', () => {
  it('leaves empty fields to the preset', () => {
    assert.deepEqual(toStartRunInput(form), {
      input: { datasetId: 'd1', name: 'nightly', preset: 'SMALL', device: 'AUTO' },
    });
  });

  it('sends what was filled in, typed', () => {
    const checked = toStartRunInput({
      ...form,
      preset: 'TINY',
      imageSize: '64',
      epochs: '3',
      loss: 'SSIM',
      layer: 'enc2',
      attentionWeight: '0.5',
      device: 'CPU',
    });
    assert.deepEqual(checked, {
      input: {
        datasetId: 'd1',
        name: 'nightly',
        preset: 'TINY',
        device: 'CPU',
        imageSize: 64,
        epochs: 3,
        loss: 'SSIM',
        layer: 'enc2',
        attentionWeight: 0.5,
      },
    });
  });

  it('names each field at fault, with the rule it broke', () => {
    const checked = toStartRunInput({
      ...form,
      datasetId: '',
      imageSize: '100',
      epochs: '0',
      attentionWeight: '-1',
      layer: 'enc4',
    });
    assert.ok('errors' in checked);
    assert.deepEqual(Object.keys(checked.errors).sort(), [
      'attentionWeight',
      'datasetId',
      'epochs',
      'imageSize',
      'layer',
    ]);
    assert.match(checked.errors.imageSize!, /multiple of 8/);
    assert.match(checked.errors.layer!, /enc1, enc2, enc3, bottleneck/);
  });
});

describe("a preset's model", () => {
  it("offers the encoder layers and image sizes of the preset's U-Net depth, as the engine names them", () => {
    assert.deepEqual(layersOf('TINY'), ['enc1', 'enc2', 'enc3', 'bottleneck']);
    assert.deepEqual(layersOf('BASE'), ['enc1', 'enc2', 'enc3', 'enc4', 'bottleneck']);
    assert.equal(imageSizeStep('SMALL'), 8);
    assert.equal(imageSizeStep('BASE'), 16);
  });

  it('checks the layer and image size against the chosen preset', () => {
    const deep = toStartRunInput({ ...form, preset: 'BASE', layer: 'enc4', imageSize: '40' });
    assert.ok('errors' in deep);
    assert.deepEqual(Object.keys(deep.errors), ['imageSize']);
    assert.match(deep.errors.imageSize!, /multiple of 16/);
    assert.ok('input' in toStartRunInput({ ...form, preset: 'BASE', layer: 'enc4', imageSize: '64' }));
  });
});

describe('estimateSecondsLeft', () => {
  const started = Date.parse('2026-01-01T00:00:00Z');
  it('extrapolates the pace since the start', () => {
    const run = { status: 'RUNNING' as const, progress: 0.25, startedAt: new Date(started).toISOString() };
    assert.equal(estimateSecondsLeft(run, started + 60_000), 180);
  });

  it('says nothing before there is progress to judge, or when the run is not running', () => {
    const iso = new Date(started).toISOString();
    assert.equal(estimateSecondsLeft({ status: 'RUNNING', progress: 0.01, startedAt: iso }, started + 5000), null);
    assert.equal(estimateSecondsLeft({ status: 'QUEUED', progress: 0.5, startedAt: null }, started), null);
    assert.equal(estimateSecondsLeft({ status: 'SUCCEEDED', progress: 1, startedAt: iso }, started + 5000), null);
  });
});
