// Query.runPresets: the pipeline's presets with their values of startRun's options, typed, so that a launch
// form can be prefilled from them and sent back as it is.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { getPreset, layerNames, PRESET_NAMES, RUN_OPTIONS } from '@vad/models';

import { startTestApi, type TestApi, type TestUser } from '../support/api';
import { makeMvtecFolder } from '../support/fixtures';

interface Settings {
  imageSize: number;
  patchSize: number;
  epochs: number;
  batchSize: number;
  loss: string;
  attentionLayer: string;
  attentionWeight: number;
  attentionSign: string;
  syntheticDefects: number;
  defectSources: string[];
  supervisionWeight: number;
  supervisionWarmup: number;
  segmentationHead: boolean;
  patience: number;
  minutes: number;
  mapLayer: string;
  mapSign: string;
  mapWeighting: string;
  mapTargets: string[];
  smoothing: number;
  score: string;
}

interface PresetView {
  name: string;
  description: string;
  settings: Settings;
  layers: string[];
  imageSizeStep: number;
}

const PRESETS = `{ runPresets { name description settings {
  imageSize patchSize epochs batchSize loss attentionLayer attentionWeight attentionSign syntheticDefects defectSources
  supervisionWeight supervisionWarmup segmentationHead patience minutes mapLayer mapSign mapWeighting mapTargets
  smoothing score
} layers imageSizeStep } }`;

let api: TestApi;
let admin: TestUser;
let viewer: TestUser;
let presets: PresetView[];
const scratch = mkdtempSync(path.join(os.tmpdir(), 'vad-presets-'));

before(async () => {
  api = await startTestApi('presets');
  admin = await api.user('ADMIN');
  viewer = await api.user('VIEWER');
  presets = (await api.ok<{ runPresets: PresetView[] }>(PRESETS, {}, { cookie: viewer.cookie })).runPresets;
});
after(async () => {
  await api.close();
  rmSync(scratch, { recursive: true, force: true });
});

describe('Query.runPresets', () => {
  it('lists tiny, small and base, smallest first, with the values the pipeline uses', () => {
    assert.deepEqual(
      presets.map((preset) => preset.name),
      ['TINY', 'SMALL', 'BASE'],
    );
    assert.deepEqual(presets[1], {
      name: 'SMALL',
      description: getPreset('small').description,
      settings: {
        imageSize: 128,
        patchSize: 0,
        epochs: 500,
        batchSize: 16,
        loss: 'SSIM_MSE',
        attentionLayer: 'enc1',
        attentionWeight: 0,
        attentionSign: 'ABS',
        syntheticDefects: 0.5,
        defectSources: ['PATCH', 'PERLIN', 'FLAT'],
        supervisionWeight: 0,
        supervisionWarmup: 0.2,
        segmentationHead: false,
        patience: 10,
        minutes: 15,
        mapLayer: 'enc2',
        mapSign: 'ABS',
        mapWeighting: 'ELEMENT',
        mapTargets: ['LOSS'],
        smoothing: 1 / 32,
        score: 'TOP1',
      },
      layers: ['enc1', 'enc2', 'enc3', 'bottleneck'],
      imageSizeStep: 8,
    });
    for (const [index, name] of PRESET_NAMES.entries()) {
      const preset = getPreset(name);
      const shown = presets[index]!;
      assert.equal(shown.name, name.toUpperCase());
      assert.equal(shown.description, preset.description);
      assert.deepEqual(shown.settings, {
        imageSize: preset.model.imageSize,
        patchSize: preset.train.patchSize,
        epochs: preset.train.epochs,
        batchSize: preset.train.batchSize,
        loss: preset.model.loss.toUpperCase(),
        attentionLayer: preset.train.attentionLayer,
        attentionWeight: preset.train.attentionWeight,
        attentionSign: preset.train.attentionSign.toUpperCase(),
        syntheticDefects: preset.train.syntheticDefects,
        defectSources: preset.train.defectSources.map((source) => source.toUpperCase()),
        supervisionWeight: preset.train.supervisionWeight,
        supervisionWarmup: preset.train.supervisionWarmup,
        segmentationHead: preset.model.segmentationHead,
        patience: preset.train.patience,
        minutes: preset.train.minutes,
        mapLayer: preset.explain.layer,
        mapSign: preset.explain.sign.toUpperCase(),
        mapWeighting: preset.explain.weighting.toUpperCase(),
        mapTargets: preset.explain.attentionTargets.map((target) => target.toUpperCase()),
        smoothing: preset.explain.smoothing,
        score: preset.explain.score.toUpperCase(),
      });
      assert.deepEqual(shown.layers, layerNames(preset.model.depth), name);
      assert.equal(shown.imageSizeStep, 2 ** preset.model.depth, name);
    }
  });

  it('sets out exactly the options of the schema, less those the preset does not decide', () => {
    const undecided = ['preset', 'device', 'seed'];
    assert.deepEqual(
      Object.keys(presets[0]!.settings).sort(),
      Object.keys(RUN_OPTIONS)
        .filter((name) => !undecided.includes(name))
        .sort(),
    );
  });

  it("gives settings that startRun takes back as they are, with the preset's name", async () => {
    const folder = await makeMvtecFolder(path.join(scratch, 'data'), { train: 2, testGood: 1, defects: { crack: 1 } });
    const imported = await api.ok<{ importDataset: { id: string } }>(
      'mutation($p: String!) { importDataset(input: { path: $p, name: "presets" }) { id } }',
      { p: folder },
      { cookie: admin.cookie },
    );
    for (const preset of presets) {
      const sent = { preset: preset.name, ...preset.settings };
      const started = await api.ok<{ startRun: { status: string; options: Record<string, unknown> } }>(
        `mutation($input: StartRunInput!) { startRun(input: $input) { status options { ${Object.keys(sent).join(' ')} } } }`,
        { input: { datasetId: imported.importDataset.id, ...sent } },
        { cookie: admin.cookie },
      );
      assert.equal(started.startRun.status, 'QUEUED', preset.name);
      // Run.options gives back what was sent, in the input's own types (enum values included).
      assert.deepEqual({ ...started.startRun.options }, sent, preset.name);
      const pipelinePreset = getPreset(preset.name.toLowerCase());
      assert.equal(started.startRun.options.imageSize, pipelinePreset.model.imageSize);
      assert.equal(started.startRun.options.loss, pipelinePreset.model.loss.toUpperCase());
      assert.deepEqual(
        started.startRun.options.mapTargets,
        pipelinePreset.explain.attentionTargets.map((target) => target.toUpperCase()),
      );
    }
  });

  it('is a read like any other: a READ key may list them, no credentials may not', async () => {
    const key = await api.ok<{ createApiKey: { secret: string } }>(
      'mutation { createApiKey(name: "reader", scopes: [READ]) { secret } }',
      {},
      { cookie: viewer.cookie },
    );
    const read = await api.ok<{ runPresets: PresetView[] }>(PRESETS, {}, { apiKey: key.createApiKey.secret });
    assert.deepEqual(read.runPresets, presets);
    const anonymous = await api.gql(PRESETS);
    assert.equal(anonymous.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
    assert.equal(anonymous.data ?? null, null);
  });
});
