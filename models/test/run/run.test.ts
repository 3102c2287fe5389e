import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import sharp from 'sharp';

import {
  CheckpointError,
  ConfigError,
  decodeFloatTiff,
  loadDataset,
  outputPaths,
  readExplainStore,
  runEvaluate,
  runExplain,
  runFromSpec,
  runPipeline,
  runTrain,
  samplesOfSplit,
  upsampleMapToSample,
} from '../../src';
import type { PipelineEvent, Report } from '../../src';
import { makeTempDir } from '../datasets/fixtures';
import { writeSyntheticMvtec } from '../pipeline/synthetic';

const SCORES = ['aupro', 'bestIou', 'f1Max', 'imageAuroc', 'imageF1Max', 'pixelAuroc'];
const THRESHOLDS = ['f1Threshold', 'imageThreshold'];
const METRIC_KEYS = [...SCORES, ...THRESHOLDS].sort();

function assertMetricSet(metrics: object, where: string): void {
  const values = metrics as Record<string, unknown>;
  for (const key of SCORES) {
    const value = values[key];
    assert.ok(typeof value === 'number' && value >= 0 && value <= 1, `${where}.${key} = ${String(value)}`);
  }
  // In the map's or the score's own units, which are not bounded: only finite.
  for (const key of THRESHOLDS) {
    assert.ok(Number.isFinite(values[key]), `${where}.${key} = ${String(values[key])}`);
  }
}

describe('the pipeline on a synthetic MVTec AD category (tiny preset)', () => {
  let tmp: string;
  let remove: () => Promise<void>;
  let data: string;
  before(async () => {
    ({ path: tmp, remove } = await makeTempDir('pipeline'));
    data = join(tmp, 'widget');
    await writeSyntheticMvtec(data);
  });
  after(() => remove());

  it('runs train -> explain -> evaluate and writes report.json, report.md, figures, curves and TIFF maps', async () => {
    const out = join(tmp, 'run');
    const events: PipelineEvent[] = [];
    const result = await runFromSpec(
      { data, out, options: { preset: 'tiny', device: 'cpu' } },
      { onProgress: (event) => events.push(event) },
    );
    assert.equal(result.status, 'completed');
    assert.ok(events.some((event) => event.type === 'train'));
    const configEvents = events.filter((event) => event.type === 'config');
    assert.equal(configEvents.length, 1, 'the resolved config is announced once');
    assert.ok(
      events.indexOf(configEvents[0]!) < events.findIndex((event) => event.type === 'train'),
      'before training',
    );
    assert.ok(events.some((event) => event.type === 'explain' && event.done === event.total));

    const report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as Report;
    assert.deepEqual(Object.keys(report).sort(), ['config', 'dataset', 'maps', 'timings', 'training']);
    assert.equal(report.training.epochLosses.length, report.training.epochsCompleted);
    const { bestEpoch, validationLosses } = report.training;
    assert.ok(bestEpoch !== null && bestEpoch >= 1 && bestEpoch <= report.training.epochsCompleted, `${bestEpoch}`);
    assert.equal(Math.min(...validationLosses.slice(0, bestEpoch)), validationLosses[bestEpoch - 1]);
    const held = report.training.heldBack;
    assert.ok(held !== null && held.images === report.config.train.validationImages, 'normal images held back');
    assert.ok(held.psnr > 0 && held.ssim > -1 && held.ssim <= 1, JSON.stringify(held));
    assert.deepEqual(Object.keys(report.timings).sort(), ['explainSeconds', 'imagesPerSecond', 'trainSeconds']);
    assert.ok(report.timings.trainSeconds > 0 && report.timings.imagesPerSecond > 0);
    assert.deepEqual(Object.keys(report.maps), ['attention', 'residual', 'ssim', 'msgms']);
    for (const [mapType, metrics] of Object.entries(report.maps)) {
      assert.deepEqual(Object.keys(metrics).sort(), [...METRIC_KEYS, 'perDefect'].sort(), mapType);
      assertMetricSet(metrics, mapType);
      assert.deepEqual(Object.keys(metrics.perDefect), ['scratch', 'spot']);
      for (const [defect, perDefect] of Object.entries(metrics.perDefect)) {
        assert.deepEqual(Object.keys(perDefect).sort(), METRIC_KEYS, `${mapType}.${defect}`);
        assertMetricSet(perDefect, `${mapType}.perDefect.${defect}`);
      }
    }
    assert.deepEqual(report.dataset.testImages, { normal: 6, anomalous: 8, withoutMask: 0 });
    assert.deepEqual(report.dataset.defectTypes, { scratch: 4, spot: 4 });
    assert.equal(report.config.model.imageSize, 32);
    assert.deepEqual(JSON.parse(await readFile(join(out, 'config.json'), 'utf8')), report.config);
    // Planted defects far off the texture: even a barely trained model's residual finds them, unless maps and
    // masks were misaligned on the way back to the original 48 x 40 resolution.
    assert.ok(report.maps.residual!.pixelAuroc! > 0.8, `residual pixel AUROC ${report.maps.residual!.pixelAuroc}`);

    // One TIFF per test image, in the MVTec AD layout, at the image's own size, holding the upsampled map.
    const dataset = await loadDataset(data);
    const store = await readExplainStore(outputPaths(out).explainDir);
    for (const defect of ['good', 'scratch', 'spot'])
      assert.equal((await readdir(join(out, 'maps/widget/test', defect))).length, defect === 'good' ? 6 : 4);
    const sample = samplesOfSplit(dataset, 'test').find((s) => s.id === 'test/spot/002')!;
    const tiff = decodeFloatTiff(await readFile(join(out, 'maps/widget/test/spot/002.tiff')));
    assert.equal(tiff.width, 48);
    assert.equal(tiff.height, 40);
    const at = store.index.samples.findIndex((s) => s.id === sample.id);
    const plane = 32 * 32;
    const expected = upsampleMapToSample(store.maps.attention!.subarray(at * plane, (at + 1) * plane), 32, 32, sample);
    assert.deepEqual(tiff.data, expected);

    const markdown = await readFile(join(out, 'report.md'), 'utf8');
    assert.match(markdown, /\| map \| image AUROC \| pixel AUROC \| AUPRO@0\.3 \| F1-max \| best IoU \|/);
    assert.match(markdown, /### residual\n\n\| defect \| images \|/);
    assert.match(markdown, /\| spot \| 4 \| /);
    const figures = [...markdown.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((match) => match[1]!);
    assert.deepEqual(figures.sort(), [
      'figures/curves-attention.png',
      'figures/curves-msgms.png',
      'figures/curves-residual.png',
      'figures/curves-ssim.png',
      'figures/highest-scoring.png',
      'figures/lowest-scoring.png',
      'figures/training.png',
    ]);
    assert.match(markdown, /## Training\n/);
    assert.match(markdown, new RegExp(`The model is epoch ${bestEpoch}'s, the lowest validation loss`));
    assert.match(markdown, /Reconstruction of \d+ held-back normal images: PSNR [\d.]+ dB/);
    for (const figure of figures) {
      const metadata = await sharp(join(out, figure)).metadata();
      assert.equal(metadata.format, 'png', figure);
    }
    const curves = JSON.parse(await readFile(join(out, 'curves.json'), 'utf8')) as Record<
      string,
      { overall: { pixelRoc: { fpr: number[]; tpr: number[] } }; perDefect: Record<string, unknown> }
    >;
    assert.ok(Array.isArray(curves.residual!.overall.pixelRoc.fpr));
    assert.equal(curves.residual!.overall.pixelRoc.fpr.at(-1), 1);
    assert.deepEqual(Object.keys(curves.attention!.perDefect), ['scratch', 'spot']);

    await assert.rejects(
      runFromSpec({ data, out, options: { preset: 'tiny', device: 'cpu' } }),
      (error: unknown) => error instanceof CheckpointError && /already holds a trained model/.test(error.message),
    );
  });

  it('takes a dataset the caller built in memory and returns the scores and maps of every test image', async () => {
    const loaded = await loadDataset(data);
    // Ids a caller chose (the API uses image ids): nothing ties them to file names.
    const dataset = {
      ...loaded,
      root: null,
      samples: loaded.samples.map((sample, i) => ({ ...sample, id: `image-${i}` })),
    };
    const out = join(tmp, 'in-memory');
    const result = await runPipeline({ dataset, data: 'dataset:widget', out, options: { preset: 'tiny', epochs: 1 } });
    assert.equal(result.status, 'completed');
    if (result.status !== 'completed') return;
    assert.equal(result.config.data, 'dataset:widget');
    const tests = samplesOfSplit(dataset, 'test');
    const { store } = result.explain;
    assert.deepEqual(
      store.index.samples.map((sample) => sample.id),
      tests.map((sample) => sample.id),
    );
    const plane = 32 * 32;
    assert.equal(store.maps.attention!.length, tests.length * plane);
    for (const sample of store.index.samples) assert.ok(Number.isFinite(sample.scores.attention), sample.id);
    await assert.rejects(
      runPipeline({ dataset, data: 'dataset:other', out, options: {}, resume: true }),
      /this run was trained on dataset:widget, not dataset:other/,
    );
  });

  it('cancels training on abort, keeping the checkpoint, and resumes it to the end', async () => {
    const out = join(tmp, 'resumed');
    const controller = new AbortController();
    const cancelled = await runFromSpec(
      { data, out, options: { preset: 'tiny', device: 'cpu', epochs: 4 } },
      {
        signal: controller.signal,
        onProgress: (event) => {
          if (event.type === 'train') controller.abort();
        },
      },
    );
    assert.equal(cancelled.status, 'cancelled');
    assert.equal(cancelled.status === 'cancelled' && cancelled.stage, 'train');
    const paths = outputPaths(out);
    assert.ok(existsSync(paths.checkpoint));
    const record = JSON.parse(await readFile(paths.trainRecord, 'utf8')) as {
      finished: boolean;
      epochsCompleted: number;
    };
    assert.equal(record.finished, false);
    assert.ok(record.epochsCompleted < 4);
    assert.ok(!existsSync(paths.reportJson));

    await assert.rejects(runFromSpec({ out, resume: true, options: { imageSize: 64 } }), (error: unknown) => {
      return (
        error instanceof ConfigError && error.option === 'imageSize' && /cannot change on resume/.test(error.message)
      );
    });
    const resumed = await runFromSpec({ out, resume: true, options: { device: 'cpu' } });
    assert.equal(resumed.status, 'completed');
    assert.equal(resumed.status === 'completed' && resumed.train.record.epochsCompleted, 4);
    assert.equal(resumed.status === 'completed' && resumed.train.record.finished, true);
    assert.ok(existsSync(paths.reportJson));
  });

  it('runs the steps separately, explaining with more attention targets than it trained with', async () => {
    const out = join(tmp, 'steps');
    await assert.rejects(runExplain({ out }), /no run config here/);
    const trained = await runTrain({ data, out, options: { preset: 'tiny', device: 'cpu', epochs: 1 } });
    assert.equal(trained.cancelled, false);
    await assert.rejects(runEvaluate({ out }), /no explain output here; run explain first/);
    await assert.rejects(runExplain({ out, data: join(tmp, 'elsewhere') }), /this run was trained on/);
    const explained = await runExplain({ out, options: { mapTargets: ['loss', 'reencoded'], mapLayer: 'enc2' } });
    assert.deepEqual(explained.mapTypes, ['attention', 'attention-reencoded', 'residual', 'ssim', 'msgms']);
    const { report } = await runEvaluate({ out });
    assert.deepEqual(Object.keys(report.maps), ['attention', 'attention-reencoded', 'residual', 'ssim', 'msgms']);
    assert.equal(report.config.explain.layer, 'enc2');
    assert.equal(report.config.train.attentionLayer, 'enc1');

    // Smoothing is explain-time: the same model's maps come out smoother, and the run records it.
    const roughness = (map: Float32Array, size: number): number => {
      let sum = 0;
      for (let y = 0; y < size; y++)
        for (let x = 1; x < size; x++) sum += Math.abs(map[y * size + x]! - map[y * size + x - 1]!);
      return sum;
    };
    const size = report.config.model.imageSize;
    const before = (await readExplainStore(outputPaths(out).explainDir)).maps.residual!.subarray(0, size * size);
    const roughBefore = roughness(before, size);
    await runExplain({ out, options: { smoothing: 0.1 } });
    const after = (await readExplainStore(outputPaths(out).explainDir)).maps.residual!.subarray(0, size * size);
    assert.ok(roughness(after, size) < roughBefore / 2, `${roughness(after, size)} vs ${roughBefore}`);
    assert.equal((await runEvaluate({ out })).report.config.explain.smoothing, 0.1);
  });
});
