import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';

import { decodeGroundTruth, decodeImage, finishDataset, loadMvtec, writeMvtecFolder } from '../../src/datasets';
import type { DatasetSample, RawImage } from '../../src/datasets';

function gradient(seed: number, width = 12, height = 10): RawImage {
  const data = Uint8Array.from({ length: width * height }, (_, i) => (i * 7 + seed * 31) % 256);
  return { width, height, channels: 1, data };
}

function sample(id: string, split: 'train' | 'test', defectType: string, seed: number): DatasetSample {
  const anomalous = defectType !== 'good';
  const mask: RawImage = {
    width: 12,
    height: 10,
    channels: 1,
    data: Uint8Array.from({ length: 120 }, (_, i) => (i % 12 >= 3 && i % 12 < 6 && i >= 24 && i < 60 ? 255 : 0)),
  };
  return {
    id,
    split,
    label: anomalous ? 'anomalous' : 'normal',
    defectType,
    source: { kind: 'memory', name: id, image: gradient(seed) },
    ...(anomalous ? { mask: { kind: 'memory' as const, name: `${id} mask`, image: mask } } : {}),
    width: 12,
    height: 10,
    channels: 1,
  };
}

describe('writeMvtecFolder', () => {
  const scratch = mkdtemp(path.join(os.tmpdir(), 'vad-write-folder-'));
  after(async () => rm(await scratch, { recursive: true, force: true }));

  it('writes a folder that loads back with the same pixels and masks', async () => {
    const dataset = finishDataset(
      [
        sample('train/good/000', 'train', 'good', 1),
        sample('train/good/001', 'train', 'good', 2),
        sample('test/good/000', 'test', 'good', 3),
        sample('test/ellipse/000', 'test', 'ellipse', 4),
      ],
      { name: 'demo', layout: 'corrupted-fashion-mnist', category: 'demo', root: null, warnings: [] },
    );
    const folder = path.join(await scratch, 'demo');
    assert.equal(await writeMvtecFolder(dataset, folder), 4);

    const loaded = await loadMvtec(folder);
    assert.deepEqual(
      loaded.samples.map((s) => [s.id, s.label, s.defectType]).sort(),
      dataset.samples.map((s) => [s.id, s.label, s.defectType]).sort(),
    );
    for (const original of dataset.samples) {
      const copy = loaded.samples.find((s) => s.id === original.id);
      assert.ok(copy);
      assert.deepEqual((await decodeImage(copy.source)).data, (await decodeImage(original.source)).data);
      assert.deepEqual((await decodeGroundTruth(copy))?.data, (await decodeGroundTruth(original))?.data);
    }
  });
});
