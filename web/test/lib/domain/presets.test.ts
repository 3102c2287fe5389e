import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { PRESETS as MODEL_PRESETS } from '../../../../models/src/presets';
import { layersOf, PRESETS } from '../../../lib/domain/presets';

describe('the launch form’s presets', () => {
  it('say what models/src/presets trains (update lib/domain/presets.ts when a preset changes)', () => {
    for (const entry of PRESETS) {
      const model = MODEL_PRESETS[entry.preset.toLowerCase() as keyof typeof MODEL_PRESETS];
      assert.deepEqual(
        {
          description: entry.description,
          imageSize: entry.imageSize,
          depth: entry.depth,
          epochs: entry.epochs,
          batchSize: entry.batchSize,
          loss: entry.loss.toLowerCase(),
          attentionWeight: entry.attentionWeight,
          layer: entry.layer,
        },
        {
          description: model.description,
          imageSize: model.model.imageSize,
          depth: model.model.depth,
          epochs: model.train.epochs,
          batchSize: model.train.batchSize,
          loss: model.model.loss,
          attentionWeight: model.train.attentionWeight,
          layer: model.explain.layer,
        },
        entry.preset,
      );
    }
    assert.equal(PRESETS.length, Object.keys(MODEL_PRESETS).length);
  });

  it("list a U-Net's encoder layers by depth, as the engine names them", () => {
    assert.deepEqual(layersOf(3), ['enc1', 'enc2', 'enc3', 'bottleneck']);
  });
});
