import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';

import {
  FASHION_MNIST_DIR,
  MAX_SHAPE_SIZE,
  MIN_PATCH_CONTRAST,
  MIN_SHAPE_SIZE,
  PLANTED_SHAPES,
  fashionMnistImage,
  loadCorruptedFashionMnist,
  mulberry32,
  plantDefect,
  preprocessSamples,
  rasterizeShape,
  readFashionMnist,
  samplesOfSplit,
} from '../../src';
import type { Dataset, DatasetSample, FashionMnistSet, RawImage, ShapeSpec } from '../../src';
import { suiteTempDir, writeFakeFashionMnist } from './fixtures';

function pixelsOf(sample: DatasetSample | undefined): RawImage {
  assert.ok(sample?.source.kind === 'memory', 'corrupted samples live in memory');
  return sample.source.image;
}

function maskOf(sample: DatasetSample): RawImage {
  assert.ok(sample.mask?.kind === 'memory', 'corrupted samples carry an in-memory mask');
  return sample.mask.image;
}

/** The Fashion-MNIST test index an id like `test/ellipse/00042` refers to. */
function indexOf(sample: DatasetSample): number {
  return Number(sample.id.split('/')[2]);
}

/** Area under the ROC curve of 8-bit scores (ties count half), computed by counting per value. */
function auroc(scores: Uint8Array, labels: Uint8Array): number {
  const positives = new Float64Array(256);
  const negatives = new Float64Array(256);
  scores.forEach((score, i) => {
    const counts = labels[i] === 1 ? positives : negatives;
    counts[score] = counts[score]! + 1;
  });
  let below = 0;
  let sum = 0;
  let p = 0;
  for (let value = 0; value < 256; value++) {
    sum += positives[value]! * (below + negatives[value]! / 2);
    below += negatives[value]!;
    p += positives[value]!;
  }
  return sum / (p * below);
}

function spec(shape: ShapeSpec['shape'], width: number, height: number, extra: Partial<ShapeSpec> = {}): ShapeSpec {
  return { shape, x: 2, y: 3, width, height, apex: 0.5, pointsUp: true, ...extra };
}

describe('rasterizeShape', () => {
  const count = (data: Uint8Array) => data.reduce((a, b) => a + b, 0);

  it('fills a rectangle box exactly and keeps every shape inside its box', () => {
    assert.equal(count(rasterizeShape(spec('rectangle', 5, 3), 28, 28).data), 15);
    for (const shape of PLANTED_SHAPES) {
      for (let w = MIN_SHAPE_SIZE; w <= MAX_SHAPE_SIZE; w++) {
        for (let h = MIN_SHAPE_SIZE; h <= MAX_SHAPE_SIZE; h++) {
          const mask = rasterizeShape(spec(shape, w, h), 28, 28);
          assert.ok(count(mask.data) > 0, `${shape} ${w}x${h} is not empty`);
          mask.data.forEach((value, i) => {
            if (value === 0) return;
            const x = i % 28;
            const y = Math.floor(i / 28);
            assert.ok(
              x >= 2 && x < 2 + w && y >= 3 && y < 3 + h,
              `${shape} ${w}x${h} pixel (${x}, ${y}) outside its box`,
            );
          });
        }
      }
    }
  });

  it('rounds an ellipse off (corners empty, symmetric) and points a triangle', () => {
    const ellipse = rasterizeShape(spec('ellipse', 8, 6), 28, 28).data;
    assert.equal(ellipse[3 * 28 + 2], 0, 'top-left corner of the box');
    assert.equal(ellipse[(3 + 3) * 28 + 2 + 4], 1, 'centre');
    for (let y = 3; y < 9; y++) {
      for (let x = 2; x < 10; x++)
        assert.equal(ellipse[y * 28 + x], ellipse[y * 28 + (11 - x)], 'left-right symmetric');
    }
    const rowCount = (data: Uint8Array, y: number) => count(data.subarray(y * 28, (y + 1) * 28));
    const up = rasterizeShape(spec('triangle', 8, 8), 28, 28).data;
    assert.ok(rowCount(up, 3) < rowCount(up, 10), 'pointing up: narrow top row, wide bottom row');
    const down = rasterizeShape(spec('triangle', 8, 8, { pointsUp: false }), 28, 28).data;
    assert.ok(rowCount(down, 3) > rowCount(down, 10), 'pointing down: wide top row');
  });
});

describe('loadCorruptedFashionMnist on a stand-in set', () => {
  const tmp = suiteTempDir('corrupted');
  let dir: string;
  let test: FashionMnistSet;
  before(async () => {
    dir = join(tmp.path, 'fmnist');
    await writeFakeFashionMnist(dir, { classes: 3, trainPerClass: 30, testPerClass: 40, gzip: true });
    test = await readFashionMnist('test', dir);
  });

  const load = (options: Partial<Parameters<typeof loadCorruptedFashionMnist>[0]> = {}): Promise<Dataset> =>
    loadCorruptedFashionMnist({
      normalClass: 1,
      trainCount: 20,
      testNormalCount: 15,
      testAnomalousCount: 20,
      dataDir: dir,
      ...options,
    });

  /** Each corrupted test image, with the clean image it was made from and its mask (784 pixels each). */
  const planted = (dataset: Dataset) =>
    dataset.samples
      .filter((sample) => sample.label === 'anomalous')
      .map((sample) => ({
        id: sample.id,
        clean: fashionMnistImage(test, indexOf(sample)).data,
        corrupted: pixelsOf(sample).data,
        mask: maskOf(sample).data,
      }));

  it('builds train from the class, and disjoint clean and corrupted test picks of the class', async () => {
    const dataset = await load();
    assert.equal(dataset.layout, 'corrupted-fashion-mnist');
    assert.equal(dataset.category, 'Trouser');
    assert.equal(dataset.channels, 1);
    const train = samplesOfSplit(dataset, 'train');
    const normal = samplesOfSplit(dataset, 'test').filter((sample) => sample.label === 'normal');
    const anomalous = samplesOfSplit(dataset, 'test').filter((sample) => sample.label === 'anomalous');
    assert.deepEqual([train.length, normal.length, anomalous.length], [20, 15, 20]);
    assert.ok(train.every((sample) => sample.label === 'normal' && sample.defectType === 'good'));
    assert.ok(
      [...normal, ...anomalous].every((sample) => test.labels[indexOf(sample)] === 1),
      'every test image is of the normal class',
    );
    const normalIndices = new Set(normal.map(indexOf));
    assert.ok(
      anomalous.every((sample) => !normalIndices.has(indexOf(sample))),
      'no image is both clean and corrupted',
    );
    assert.ok(anomalous.every((sample) => PLANTED_SHAPES.includes(sample.defectType as ShapeSpec['shape'])));
    assert.deepEqual(dataset.defectTypes, [...new Set(anomalous.map((sample) => sample.defectType))].sort());
    assert.ok(new Set(dataset.samples.map((sample) => sample.id)).size === dataset.samples.length, 'ids are unique');
  });

  it('is reproducible for a seed and changes with it', async () => {
    const a = await load({ seed: 7 });
    const b = await load({ seed: 7 });
    const c = await load({ seed: 8 });
    assert.deepEqual(
      a.samples.map((sample) => sample.id),
      b.samples.map((sample) => sample.id),
    );
    a.samples.forEach((sample, i) => {
      assert.deepEqual(pixelsOf(sample).data, pixelsOf(b.samples[i]).data, sample.id);
      if (sample.label === 'anomalous') assert.deepEqual(maskOf(sample).data, maskOf(b.samples[i]!).data, sample.id);
    });
    assert.notDeepEqual(
      a.samples.map((sample) => sample.id),
      c.samples.map((sample) => sample.id),
    );
  });

  it('bright: masks are exactly the planted pixels, all at 255, and nothing else changed', async () => {
    for (const { id, clean, corrupted, mask } of planted(await load({ variant: 'bright' }))) {
      let changed = 0;
      let size = 0;
      for (let p = 0; p < 784; p++) {
        if (mask[p] === 255) {
          size++;
          assert.equal(corrupted[p], 255, `${id}: planted pixel ${p}`);
          if (clean[p] !== 255) changed++;
        } else {
          assert.equal(mask[p], 0);
          assert.equal(corrupted[p], clean[p], `${id}: pixel ${p} outside the mask changed`);
        }
      }
      assert.ok(changed > 0, `${id}: the shape is visible`);
      assert.ok(size >= 1 && size <= MAX_SHAPE_SIZE * MAX_SHAPE_SIZE);
    }
  });

  it('patch: the shape is filled with a shifted copy of the same image, and nothing else changed', async () => {
    for (const { id, clean, corrupted, mask } of planted(await load({ variant: 'patch' }))) {
      const inside: number[] = [];
      for (let p = 0; p < 784; p++) {
        if (mask[p] === 255) inside.push(p);
        else assert.equal(corrupted[p], clean[p], `${id}: pixel ${p} outside the mask changed`);
      }
      // Some offset (dx, dy) must explain every planted pixel as a copy of the clean image.
      let explained = false;
      for (let dy = -27; dy <= 27 && !explained; dy++) {
        for (let dx = -27; dx <= 27 && !explained; dx++) {
          explained = inside.every((p) => {
            const x = (p % 28) + dx;
            const y = Math.floor(p / 28) + dy;
            return x >= 0 && y >= 0 && x < 28 && y < 28 && corrupted[p] === clean[y * 28 + x];
          });
        }
      }
      assert.ok(explained, `${id}: planted pixels are a copy from the same image`);
      const contrast = inside.reduce((sum, p) => sum + Math.abs(corrupted[p]! - clean[p]!), 0) / inside.length;
      assert.ok(contrast >= MIN_PATCH_CONTRAST, `${id}: contrast ${contrast}`);
    }
  });

  it('goes through the same preprocessing path as files: masks come out exactly', async () => {
    const dataset = await load({ testNormalCount: 3, testAnomalousCount: 5 });
    const samples = samplesOfSplit(dataset, 'test');
    const batch = await preprocessSamples(samples, { width: 28, height: 28, channels: 1 });
    samples.forEach((sample, i) => {
      assert.deepEqual(batch.images.subarray(i * 784, (i + 1) * 784), pixelsOf(sample).data, sample.id);
      const expected =
        sample.mask === undefined ? new Uint8Array(784) : maskOf(sample).data.map((value) => value / 255);
      assert.deepEqual(batch.masks!.subarray(i * 784, (i + 1) * 784), expected, sample.id);
    });
    assert.ok(batch.hasMask.every(Boolean));
  });

  it('rejects a bad class, variant or counts beyond what the class holds', async () => {
    await assert.rejects(load({ normalClass: 10 }), /normalClass must be an integer 0-9/);
    await assert.rejects(load({ variant: 'dim' as never }), /variant must be one of bright, patch/);
    await assert.rejects(load({ trainCount: 31 }), /trainCount must be an integer in 0\.\.30/);
    await assert.rejects(
      load({ testNormalCount: 30, testAnomalousCount: 11 }),
      /testAnomalousCount must be an integer in 0\.\.10/,
    );
  });

  it('plants a defect in any grayscale image and refuses colour', () => {
    const image: RawImage = { width: 16, height: 12, channels: 1, data: new Uint8Array(192).fill(30) };
    const planted = plantDefect(image, mulberry32(3), 'bright');
    assert.equal(
      image.data.every((value) => value === 30),
      true,
      'the input is not modified',
    );
    assert.deepEqual([planted.mask.width, planted.mask.height], [16, 12]);
    assert.equal(planted.contrast, 225);
    assert.throws(
      () => plantDefect({ ...image, channels: 3, data: new Uint8Array(576) }, mulberry32(3), 'bright'),
      /needs a grayscale image/,
    );
    assert.throws(
      () => plantDefect({ width: 7, height: 20, channels: 1, data: new Uint8Array(140) }, mulberry32(3), 'patch'),
      /at least 8 x 8, got 7 x 20/,
    );
  });
});

describe('loadCorruptedFashionMnist on the real data', () => {
  it('uses the original protocol by default, and the patch variant defeats the brightness baseline', async (t) => {
    if (!existsSync(FASHION_MNIST_DIR)) {
      t.skip(`${FASHION_MNIST_DIR} is absent: install it with apt-get install -y dataset-fashion-mnist`);
      return;
    }
    const defaults = await loadCorruptedFashionMnist({ normalClass: 7 });
    const counts = (dataset: Dataset) => [
      samplesOfSplit(dataset, 'train').length,
      dataset.samples.filter((sample) => sample.split === 'test' && sample.label === 'normal').length,
      dataset.samples.filter((sample) => sample.label === 'anomalous').length,
    ];
    assert.deepEqual(counts(defaults), [6000, 500, 500]);
    assert.equal(defaults.category, 'Sneaker');

    // Pixel AUROC of the image's own brightness against the planted masks (models/METHOD.md: 0.998 for this class
    // with bright shapes).
    const brightnessAuroc = async (variant: 'bright' | 'patch'): Promise<number> => {
      const dataset = await loadCorruptedFashionMnist({
        normalClass: 7,
        variant,
        trainCount: 0,
        testNormalCount: 200,
        testAnomalousCount: 200,
      });
      const batch = await preprocessSamples(samplesOfSplit(dataset, 'test'), { width: 28, height: 28, channels: 1 });
      return auroc(batch.images, batch.masks!);
    };
    const bright = await brightnessAuroc('bright');
    const patch = await brightnessAuroc('patch');
    assert.ok(bright > 0.97, `bright shapes: brightness alone scores ${bright}`);
    assert.ok(patch < 0.75, `patch shapes: brightness alone scores ${patch}`);
  });
});
