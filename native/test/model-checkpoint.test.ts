// Checkpoints: bit-identical round trips, and clear errors for files that are not ours.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';

import { AnomalyModel } from '../lib';
import { textures } from './support';

const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'vad-checkpoint-'));
after(() => fs.rmSync(folder, { recursive: true, force: true }));

const size = 32;
const data = textures(16, size, 8);

describe('checkpoints', () => {
  it('round-trip bit-identically: config, training state, outputs and the file itself', async () => {
    const model = new AnomalyModel({
      channels: 1,
      imageSize: size,
      depth: 4,
      baseChannels: 4,
      dropTopSkips: 1,
      loss: 'ssim_mse',
      ssimWeight: 0.3,
      seed: 9,
    });
    await model.train(data, { epochs: 2, batchSize: 4, seed: 4 });
    // The torch archive names its top folder after the file: same base name, different folders.
    fs.mkdirSync(path.join(folder, 'a'));
    fs.mkdirSync(path.join(folder, 'b'));
    const first = path.join(folder, 'a', 'model.ckpt');
    model.save(first);

    const loaded = AnomalyModel.load(first);
    assert.deepEqual(loaded.config, model.config);
    assert.deepEqual(loaded.trainState, model.trainState);
    assert.deepEqual(loaded.trainState, { epochsCompleted: 2, stepInEpoch: 0, seed: 4, batchSize: 4, finished: true });

    const options = { maps: ['gradcam_loss', 'ssim'] as const, layer: 'enc3' };
    const [before, afterLoad] = await Promise.all([
      model.explain(data, { ...options, maps: [...options.maps] }),
      loaded.explain(data, { ...options, maps: [...options.maps] }),
    ]);
    assert.deepEqual(afterLoad, before);

    const second = path.join(folder, 'b', 'model.ckpt');
    loaded.save(second);
    assert.ok(fs.readFileSync(first).equals(fs.readFileSync(second)), 'saving a loaded model changed the file');
  });

  it('saves an untrained model without a training state', () => {
    const model = new AnomalyModel({ channels: 3, imageSize: size, depth: 3, baseChannels: 4 });
    const file = path.join(folder, 'untrained.ckpt');
    model.save(file);
    const loaded = AnomalyModel.load(file);
    assert.equal(loaded.trainState, null);
    assert.deepEqual(loaded.config, model.config);
  });

  it('names the problem with a missing, truncated, foreign or garbage file', () => {
    const model = new AnomalyModel({ channels: 1, imageSize: size, depth: 3, baseChannels: 4 });
    const good = path.join(folder, 'good.ckpt');
    model.save(good);
    const bytes = fs.readFileSync(good);

    const truncated = path.join(folder, 'truncated.ckpt');
    fs.writeFileSync(truncated, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const garbage = path.join(folder, 'garbage.ckpt');
    fs.writeFileSync(garbage, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)));
    const text = path.join(folder, 'text.ckpt');
    fs.writeFileSync(text, '{"not": "a checkpoint"}\n');
    const empty = path.join(folder, 'empty.ckpt');
    fs.writeFileSync(empty, '');

    const cases: Array<[string, RegExp]> = [
      [path.join(folder, 'missing.ckpt'), /does not exist/],
      [truncated, /not a readable torch archive/],
      [garbage, /not a readable torch archive/],
      [text, /not a readable torch archive/],
      [empty, /not a readable torch archive/],
    ];
    for (const [file, message] of cases) {
      assert.throws(
        () => AnomalyModel.load(file),
        (error: unknown) => {
          assert.ok(error instanceof Error);
          assert.match(error.message, message);
          assert.ok(error.message.includes(file), `message names the file: ${error.message}`);
          return true;
        },
      );
    }
  });

  it('reports an unwritable path as an Error', () => {
    const model = new AnomalyModel({ channels: 1, imageSize: size, depth: 3, baseChannels: 4 });
    assert.throws(() => model.save(path.join(folder, 'no-such-folder', 'x.ckpt')), /cannot write checkpoint/);
  });
});
