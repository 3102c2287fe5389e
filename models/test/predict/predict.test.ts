import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import sharp from 'sharp';

import {
  CheckpointError,
  ConfigError,
  DatasetError,
  decodeFloatTiff,
  decodeNpy,
  listPredictImages,
  openTrainedRun,
  outputPaths,
  predictFolder,
  predictionMapPath,
  readExplainStore,
  runFromSpec,
  runTrain,
  upsampleMapToSample,
} from '../../src';
import { makeTempDir } from '../datasets/fixtures';
import { writeSyntheticMvtec } from '../pipeline/synthetic';

describe('predict: new images scored with a finished run (tiny preset)', () => {
  let tmp: string;
  let remove: () => Promise<void>;
  let data: string;
  let run: string;
  before(async () => {
    ({ path: tmp, remove } = await makeTempDir('predict'));
    data = join(tmp, 'widget');
    await writeSyntheticMvtec(data, { trainCount: 16, testGoodCount: 3, defectCount: 2 });
    run = join(tmp, 'run');
    const result = await runFromSpec({ data, out: run, options: { preset: 'tiny', device: 'cpu' } });
    assert.equal(result.status, 'completed');
  });
  after(() => remove());

  it('gives an image of the test set the score the run gave it, and every map of the run at its own size', async () => {
    const out = join(tmp, 'scored');
    const result = await predictFolder({ model: run, data: join(data, 'test'), out });
    const store = await readExplainStore(outputPaths(run).explainDir);
    assert.deepEqual(result.mapTypes, store.index.mapTypes);
    assert.equal(result.images.length, store.index.samples.length);
    const report = JSON.parse(await readFile(join(run, 'report.json'), 'utf8')) as {
      maps: Record<string, { imageThreshold: number }>;
    };
    assert.equal(result.threshold, report.maps.attention!.imageThreshold);
    const plane = 32 * 32;
    for (const image of result.images) {
      // The folder is the test split: `good/000.png` is the run's `test/good/000`.
      const at = store.index.samples.findIndex((sample) => sample.id === `test/${image.id.replace(/\.png$/, '')}`);
      assert.ok(at >= 0, image.id);
      const explained = store.index.samples[at]!;
      for (const mapType of result.mapTypes) {
        const expected = explained.scores[mapType]!;
        assert.ok(Math.abs(image.scores[mapType]! - expected) <= 1e-6 * Math.max(1, Math.abs(expected)), mapType);
      }
      assert.equal(image.score, image.scores.attention);
      assert.equal(image.anomalous, image.score >= result.threshold!);
      for (const mapType of result.mapTypes) {
        const tiff = decodeFloatTiff(await readFile(predictionMapPath(out, mapType, image.id, 'tiff')));
        const npy = decodeNpy(await readFile(predictionMapPath(out, mapType, image.id, 'npy')));
        assert.equal(tiff.width, 48);
        assert.equal(tiff.height, 40);
        assert.deepEqual(npy.data, tiff.data);
        const stored = store.maps[mapType]!.subarray(at * plane, (at + 1) * plane);
        const expected = upsampleMapToSample(stored, 32, 32, { width: 48, height: 40 });
        for (let i = 0; i < expected.length; i++)
          assert.ok(Math.abs(tiff.data[i]! - expected[i]!) <= 1e-5 * Math.max(1, Math.abs(expected[i]!)), mapType);
        const png = await sharp(predictionMapPath(out, mapType, image.id, 'png')).metadata();
        assert.deepEqual([png.format, png.width, png.height], ['png', 48, 40]);
      }
    }
    const csv = (await readFile(join(out, 'scores.csv'), 'utf8')).trim().split('\n');
    assert.equal(csv[0], 'image,width,height,score,anomalous,score_attention,score_residual,score_ssim,score_msgms');
    assert.equal(csv.length, 1 + result.images.length);
    assert.match(csv[1]!, /^good\/000\.png,48,40,[-\d.e]+,(true|false),/);

    await assert.rejects(predictFolder({ model: run, data: join(data, 'test'), out }), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, /holds predictions already/);
      return true;
    });
  });

  it('writes under the run folder by default', async () => {
    const folder = join(tmp, 'new-images');
    await cp(join(data, 'test/good'), folder, { recursive: true });
    const result = await predictFolder({ model: run, data: folder });
    assert.equal(result.out, join(outputPaths(run).root, 'predictions', 'new-images'));
    assert.ok(existsSync(join(result.out, 'scores.csv')));
  });

  it('refuses a folder that is not a run, a run without a finished model, no images and an unreadable image', async () => {
    await assert.rejects(predictFolder({ model: data, data: join(data, 'test') }), (error: unknown) => {
      assert.ok(error instanceof CheckpointError);
      assert.match(error.message, /not a run folder \(no config\.json\)/);
      return true;
    });
    const untrained = join(tmp, 'untrained');
    await mkdir(untrained);
    await cp(outputPaths(run).config, outputPaths(untrained).config);
    await assert.rejects(openTrainedRun(untrained), /model\.pt: no trained model here/);

    const empty = join(tmp, 'empty');
    await mkdir(join(empty, 'sub'), { recursive: true });
    await writeFile(join(empty, 'notes.txt'), 'not an image');
    await assert.rejects(listPredictImages(empty), (error: unknown) => {
      assert.ok(error instanceof DatasetError);
      assert.match(error.message, /empty: no images to score here/);
      return true;
    });
    const broken = join(tmp, 'broken');
    await mkdir(broken);
    await writeFile(join(broken, 'cut.png'), Buffer.from('\x89PNG\r\n\x1a\nnot really'));
    await assert.rejects(
      predictFolder({ model: run, data: broken, out: join(tmp, 'broken-out') }),
      (error: unknown) => {
        assert.ok(error instanceof DatasetError);
        assert.match(error.message, /cut\.png: cannot decode image/);
        return true;
      },
    );
    assert.ok(!existsSync(join(tmp, 'broken-out', 'scores.csv')));
  });

  it('refuses a run whose training stopped before its end', async () => {
    const stopped = join(tmp, 'stopped');
    const controller = new AbortController();
    const outcome = await runTrain(
      { data, out: stopped, options: { preset: 'tiny', device: 'cpu', epochs: 50 } },
      { onProgress: (event) => event.type === 'train' && controller.abort(), signal: controller.signal },
    );
    assert.equal(outcome.cancelled, true);
    await assert.rejects(openTrainedRun(stopped), /training stopped after \d+ of 50 epochs; resume it first/);
  });
});
