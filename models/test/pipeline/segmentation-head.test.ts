// The segmentation head through the pipeline: recorded in config.json, trained beside the U-Net, and its
// `segmentation` map explained, evaluated and listed in the report beside the residual, SSIM and MSGMS maps.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { mapTypesOf, outputPaths, readExplainStore, runFromSpec, smallPreset } from '../../src';
import type { PipelineConfig, PipelineEvent, Report } from '../../src';
import { makeTempDir } from '../datasets/fixtures';
import { writeSyntheticMvtec } from './synthetic';

describe('the segmentation head', () => {
  let tmp: string;
  let remove: () => Promise<void>;
  let data: string;
  before(async () => {
    ({ path: tmp, remove } = await makeTempDir('segmentation-head'));
    data = join(tmp, 'widget');
    await writeSyntheticMvtec(data);
  });
  after(() => remove());

  it('is one more map after the comparisons, only for a model that has the head', () => {
    const names = (model: { segmentationHead?: boolean }) =>
      mapTypesOf(smallPreset.explain, model).map((spec) => spec.name);
    assert.deepEqual(names({}), ['attention', 'residual', 'ssim', 'msgms']);
    assert.deepEqual(names({ segmentationHead: false }), ['attention', 'residual', 'ssim', 'msgms']);
    assert.deepEqual(names({ segmentationHead: true }), ['attention', 'residual', 'ssim', 'msgms', 'segmentation']);
    const spec = mapTypesOf(smallPreset.explain, { segmentationHead: true }).at(-1)!;
    assert.equal(spec.kind, 'segmentation');
    assert.match(spec.description, /^reference, not an explanation/);
  });

  it('trains beside the U-Net and gives the report a segmentation map', async () => {
    const out = join(tmp, 'run');
    const events: PipelineEvent[] = [];
    const result = await runFromSpec(
      { data, out, options: { preset: 'tiny', device: 'cpu', syntheticDefects: 0.5, segmentationHead: true } },
      { onProgress: (event) => events.push(event) },
    );
    assert.equal(result.status, 'completed');
    const paths = outputPaths(out);
    const config = JSON.parse(await readFile(paths.config, 'utf8')) as PipelineConfig;
    assert.equal(config.model.segmentationHead, true);
    const losses = events.flatMap((event) => (event.type === 'train' ? [event.progress.segmentationLoss] : []));
    assert.ok(losses.length > 0 && losses.every((loss) => Number.isFinite(loss) && loss > 0), losses.join(' '));

    const store = await readExplainStore(paths.explainDir);
    assert.deepEqual(store.index.mapTypes, ['attention', 'residual', 'ssim', 'msgms', 'segmentation']);
    // Probabilities, smoothed like every map: still in [0, 1].
    assert.ok(store.maps.segmentation!.every((v) => v >= 0 && v <= 1));

    const report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as Report;
    assert.deepEqual(Object.keys(report.maps), ['attention', 'residual', 'ssim', 'msgms', 'segmentation']);
    const markdown = await readFile(join(out, 'report.md'), 'utf8');
    assert.match(markdown, /\n\| segmentation \| [\d.]+ \| [\d.]+ \|/);
    assert.match(markdown, /- \*\*segmentation\*\*: reference, not an explanation/);
    assert.match(markdown, /a segmentation head trained beside it/);
  });
});
