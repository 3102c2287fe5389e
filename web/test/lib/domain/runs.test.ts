import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  emptyLaunchForm,
  estimateSecondsLeft,
  launchFormFromRun,
  toStartRunInput as check,
  type LaunchForm,
  type LaunchOption,
  type PresetModel,
} from '../../../lib/domain/runs';

const form: LaunchForm = { ...emptyLaunchForm('d1', 'SMALL'), name: ' nightly ' };

// As runPresets gives them for depths 3 and 4 (tiny and small).
const shallow: PresetModel = {
  layers: ['enc1', 'enc2', 'enc3', 'bottleneck'],
  imageSizeStep: 8,
  settings: { imageSize: 32, syntheticDefects: 0, segmentationHead: false },
};
const deeper: PresetModel = {
  layers: ['enc1', 'enc2', 'enc3', 'enc4', 'bottleneck'],
  imageSizeStep: 16,
  settings: { imageSize: 128, syntheticDefects: 0.5, segmentationHead: false },
};

// The numeric options as Query.runOptions serves them (the form takes every range from there).
const OPTIONS: LaunchOption[] = [
  { name: 'imageSize', kind: 'INTEGER', description: 'size', min: 32, max: 1024, values: null },
  { name: 'patchSize', kind: 'INTEGER', description: 'patch', min: 0, max: 1024, values: null },
  { name: 'epochs', kind: 'INTEGER', description: 'epochs', min: 1, max: 10000, values: null },
  { name: 'attentionWeight', kind: 'NUMBER', description: 'weight', min: 0, max: 1e7, values: null },
  { name: 'smoothing', kind: 'NUMBER', description: 'smoothing', min: 0, max: 0.25, values: null },
  { name: 'minutes', kind: 'NUMBER', description: 'budget', min: 0, max: 10080, values: null },
  { name: 'patience', kind: 'INTEGER', description: 'patience', min: 0, max: 1000, values: null },
  { name: 'syntheticDefects', kind: 'NUMBER', description: 'share', min: 0, max: 1, values: null },
  { name: 'supervisionWeight', kind: 'NUMBER', description: 'weight', min: 0, max: 1000, values: null },
];
const toStartRunInput = (form: LaunchForm, model: PresetModel) => check(form, model, OPTIONS);

describe('toStartRunInput', () => {
  it('leaves empty fields to the preset', () => {
    assert.deepEqual(toStartRunInput(form, shallow), {
      input: { datasetId: 'd1', name: 'nightly', preset: 'SMALL', device: 'AUTO' },
    });
  });

  it('sends what was filled in, typed', () => {
    const checked = toStartRunInput(
      {
        ...form,
        preset: 'TINY',
        imageSize: '64',
        epochs: '3',
        loss: 'SSIM',
        mapLayer: 'enc2',
        attentionLayer: 'enc3',
        attentionWeight: '0.5',
        smoothing: '0.03125',
        device: 'CPU',
      },
      shallow,
    );
    assert.deepEqual(checked, {
      input: {
        datasetId: 'd1',
        name: 'nightly',
        preset: 'TINY',
        device: 'CPU',
        imageSize: 64,
        epochs: 3,
        loss: 'SSIM',
        mapLayer: 'enc2',
        attentionLayer: 'enc3',
        attentionWeight: 0.5,
        smoothing: 0.03125,
      },
    });
    const off = toStartRunInput({ ...form, smoothing: '0' }, shallow);
    assert.ok('input' in off);
    assert.equal(off.input.smoothing, 0, 'an explicit 0 is sent: it turns off a preset that smooths');
  });

  it('names each field at fault, with the rule it broke', () => {
    const checked = toStartRunInput(
      {
        ...form,
        datasetId: '',
        imageSize: '100',
        epochs: '0',
        attentionWeight: '-1',
        smoothing: '0.3',
        mapLayer: 'enc4',
      },
      shallow,
    );
    assert.ok('errors' in checked);
    assert.deepEqual(Object.keys(checked.errors).sort(), [
      'attentionWeight',
      'datasetId',
      'epochs',
      'imageSize',
      'mapLayer',
      'smoothing',
    ]);
    assert.match(checked.errors.imageSize!, /multiple of 8/);
    assert.match(checked.errors.mapLayer!, /enc1, enc2, enc3, bottleneck/);
    assert.match(checked.errors.epochs!, /whole number from 1 to 10000/);
    assert.match(checked.errors.smoothing!, /from 0 to 0\.25/);
    assert.ok('input' in toStartRunInput({ ...form, datasetId: 'd', attentionWeight: '100000' }, shallow));
    const tooHeavy = toStartRunInput({ ...form, datasetId: 'd', attentionWeight: '2e7' }, shallow);
    assert.ok('errors' in tooHeavy && /from 0 to 10000000/.test(tooHeavy.errors.attentionWeight!));
    for (const smoothing of ['-0.01', 'abc']) {
      const bad = toStartRunInput({ ...form, smoothing }, shallow);
      assert.ok('errors' in bad, smoothing);
      assert.deepEqual(Object.keys(bad.errors), ['smoothing']);
    }
  });
});

describe("a preset's model", () => {
  it('checks the layer and image size against the layers and size step the API gives for the chosen preset', () => {
    const deep = toStartRunInput({ ...form, preset: 'BASE', mapLayer: 'enc4', imageSize: '40' }, deeper);
    assert.ok('errors' in deep);
    assert.deepEqual(Object.keys(deep.errors), ['imageSize']);
    assert.match(deep.errors.imageSize!, /multiple of 16/);
    assert.ok('input' in toStartRunInput({ ...form, preset: 'BASE', attentionLayer: 'enc4', imageSize: '64' }, deeper));
    const shallower = toStartRunInput({ ...form, attentionLayer: 'enc4', imageSize: '40' }, shallow);
    assert.ok('errors' in shallower);
    assert.deepEqual(Object.keys(shallower.errors), ['attentionLayer']);
  });
});

describe('the training patch size', () => {
  it('is sent when filled in, 0 included (whole images against a preset that crops)', () => {
    const patches = toStartRunInput({ ...form, imageSize: '128', patchSize: '64' }, deeper);
    assert.ok('input' in patches);
    assert.equal(patches.input.patchSize, 64);
    const whole = toStartRunInput({ ...form, patchSize: '0' }, shallow);
    assert.ok('input' in whole);
    assert.equal(whole.input.patchSize, 0);
    const empty = toStartRunInput(form, shallow);
    assert.ok('input' in empty && !('patchSize' in empty.input), 'empty: the preset decides');
  });

  it("is a multiple of the model's step, no larger than the image size typed or the preset's", () => {
    const offStep = toStartRunInput({ ...form, patchSize: '24' }, deeper);
    assert.ok('errors' in offStep);
    assert.equal(offStep.errors.patchSize, '0 (whole images) or a multiple of 16 up to the image size, 128');
    const tooBig = toStartRunInput({ ...form, patchSize: '64' }, shallow);
    assert.ok('errors' in tooBig);
    assert.deepEqual(Object.keys(tooBig.errors), ['patchSize']);
    assert.match(tooBig.errors.patchSize!, /up to the image size, 32$/);
    assert.ok('input' in toStartRunInput({ ...form, imageSize: '64', patchSize: '64' }, shallow));
    const negative = toStartRunInput({ ...form, patchSize: '-8' }, shallow);
    assert.ok('errors' in negative && /whole number from 0 to 1024/.test(negative.errors.patchSize!));
  });

  it('comes back from a past run', () => {
    assert.equal(launchFormFromRun({ dataset: { id: 'd1' }, options: { patchSize: 64 } }).patchSize, '64');
  });
});

describe("a past run's options in the launch form", () => {
  it('take Run.options as the API types them: enum values, and null for what was left to the preset', () => {
    const again = launchFormFromRun({
      dataset: { id: 'd1' },
      options: { preset: 'TINY', loss: 'SSIM_MSE', mapWeighting: null, epochs: 3, patchSize: null, mapLayer: 'enc2' },
    });
    assert.equal(again.preset, 'TINY');
    assert.equal(again.loss, 'SSIM_MSE');
    assert.equal(again.mapWeighting, '', 'left to the preset');
    assert.equal(again.epochs, '3');
    assert.equal(again.patchSize, '', 'left to the preset');
    assert.equal(again.mapLayer, 'enc2');
    assert.equal(again.device, 'AUTO');
  });
});

describe('the segmentation head in the launch form', () => {
  it('sends on or off as a boolean, and nothing when left to the preset', () => {
    for (const [choice, sent] of [
      ['true', true],
      ['false', false],
    ] as const) {
      const checked = toStartRunInput({ ...form, segmentationHead: choice }, deeper);
      assert.ok('input' in checked);
      assert.equal(checked.input.segmentationHead, sent);
    }
    const left = toStartRunInput(form, deeper);
    assert.ok('input' in left && !('segmentationHead' in left.input));
  });

  it('refuses it where there are no synthetic defects to learn from, as the worker would', () => {
    const message = 'Needs synthetic defects (a share above 0) to learn from';
    const onTiny = toStartRunInput({ ...form, segmentationHead: 'true' }, shallow);
    assert.ok('errors' in onTiny);
    assert.deepEqual(onTiny.errors, { segmentationHead: message });
    assert.ok('input' in toStartRunInput({ ...form, segmentationHead: 'true', syntheticDefects: '0.5' }, shallow));
    const switchedOff = toStartRunInput({ ...form, segmentationHead: 'true', syntheticDefects: '0' }, deeper);
    assert.ok('errors' in switchedOff && switchedOff.errors.segmentationHead === message);
    const presetHead = { ...deeper, settings: { ...deeper.settings, segmentationHead: true } };
    const presetOff = toStartRunInput({ ...form, syntheticDefects: '0' }, presetHead);
    assert.ok('errors' in presetOff && presetOff.errors.segmentationHead === message, "the preset's head");
    assert.ok('input' in toStartRunInput({ ...form, syntheticDefects: '0', segmentationHead: 'false' }, presetHead));
  });

  it('comes back from a past run', () => {
    const again = (options: Record<string, unknown>) =>
      launchFormFromRun({ dataset: { id: 'd1' }, options }).segmentationHead;
    assert.equal(again({ segmentationHead: true }), 'true');
    assert.equal(again({ segmentationHead: false }), 'false');
    assert.equal(again({}), '');
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

describe('launching a run again', () => {
  it("fills the form with the run's options in the form's terms, leaving the others to the preset", () => {
    const form = launchFormFromRun({
      dataset: { id: 'd1' },
      options: { preset: 'tiny', epochs: 3, smoothing: 0.05, mapLayer: 'enc2', loss: 'ssim_mse', device: 'cpu' },
    });
    assert.equal(form.datasetId, 'd1');
    assert.equal(form.preset, 'TINY');
    assert.equal(form.epochs, '3');
    assert.equal(form.smoothing, '0.05');
    assert.equal(form.mapLayer, 'enc2');
    assert.equal(form.loss, 'SSIM_MSE');
    assert.equal(form.device, 'CPU');
    assert.equal(form.minutes, '', 'not given: the preset decides');
    assert.equal(form.mapWeighting, '');
  });

  it('falls back to the small preset and any device for a run that named neither', () => {
    const form = launchFormFromRun({ dataset: { id: 'd1' }, options: {} });
    assert.equal(form.preset, 'SMALL');
    assert.equal(form.device, 'AUTO');
  });
});
