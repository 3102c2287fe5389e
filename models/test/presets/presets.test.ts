import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { AnomalyModel } from '@vad/native';

import { defaultPresetName, getPreset, layerNames, PRESET_NAMES, PRESETS } from '../../src';

describe('presets', () => {
  it('are consistent: sizes fit the depth, layers exist, every attention target and sign is known', () => {
    for (const name of PRESET_NAMES) {
      const preset = PRESETS[name];
      assert.equal(preset.name, name);
      assert.equal(preset.model.imageSize % 2 ** preset.model.depth, 0, `${name}: size vs depth`);
      const layers = layerNames(preset.model.depth);
      assert.ok(layers.includes(preset.explain.layer), `${name}: explain layer`);
      assert.ok(layers.includes(preset.train.attentionLayer), `${name}: attention layer`);
      assert.ok(preset.explain.attentionTargets.length > 0, `${name}: attention targets`);
      assert.ok(preset.train.epochs >= 1 && preset.train.batchSize >= 2, name);
    }
  });

  it('build the model the engine expects (the engine names its own layers the same way)', () => {
    for (const name of PRESET_NAMES) {
      const { model } = PRESETS[name];
      const engine = new AnomalyModel({ channels: 1, ...model, seed: 0 });
      assert.deepEqual([...engine.layers], layerNames(model.depth), name);
    }
  });

  it('default to small without a GPU and base with one', () => {
    assert.equal(defaultPresetName(false), 'small');
    assert.equal(defaultPresetName(true), 'base');
  });

  it('reject unknown names, listing the known ones', () => {
    assert.equal(getPreset('tiny').name, 'tiny');
    assert.throws(() => getPreset('huge'), /unknown preset "huge": expected one of tiny, small, base/);
  });
});
