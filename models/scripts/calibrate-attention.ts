/**
 * A first, quick pick of the attention map's defaults: trains a few model variants on a dataset's training
 * images, explains a seeded subset of its test images with every encoder layer x Grad-CAM sign x target, and
 * prints one table row per (model, map). Not the full sweep: a starting point that the defaults cite.
 *
 *   node --import tsx models/scripts/calibrate-attention.ts --data ../shared/data/magnetic-tile --out /tmp/calib
 *
 * Options: --epochs (20), --size (128), --test-good (30), --test-per-defect (20), --models a,b (names below),
 * --attention-weight (1e5, for the *-attn models).
 */
import { parseArgs } from 'node:util';

import type { CamSign } from '@vad/native';

import { mulberry32, samplesOfSplit, shuffled } from '../src/datasets';
import type { Dataset, DatasetSample } from '../src/datasets';
import {
  evaluateMaps,
  explainTestSet,
  formatDataSpec,
  layerNames,
  loadDataSpec,
  outputPaths,
  parseDataSpec,
  resolveConfig,
  trainModel,
} from '../src/pipeline';
import type { PipelineConfig, RunContext } from '../src/pipeline';
import { writeJsonFile } from '../src/pipeline/json-file';

interface ModelVariant {
  name: string;
  apply: (config: PipelineConfig) => void;
}

/** The attention term's weight: the term is tiny (an activation times a gradient of a mean loss), see native/README.md. */
let attentionWeight = 1e5;

function withAttention(config: PipelineConfig): void {
  config.train.attentionWeight = attentionWeight;
  config.train.attentionLayer = 'enc1';
  config.train.attentionSign = 'abs';
}

const MODEL_VARIANTS: readonly ModelVariant[] = [
  { name: 'unet', apply: () => {} },
  { name: 'unet-drop1', apply: (config) => (config.model.dropTopSkips = 1) },
  { name: 'no-skips', apply: (config) => (config.model.skips = false) },
  { name: 'unet-attn', apply: withAttention },
  {
    name: 'drop1-attn',
    apply: (config) => {
      config.model.dropTopSkips = 1;
      withAttention(config);
    },
  },
  {
    name: 'no-skips-attn',
    apply: (config) => {
      config.model.skips = false;
      withAttention(config);
    },
  },
];
const SIGNS: readonly CamSign[] = ['relu', 'neg_relu', 'abs'];

function subset(dataset: Dataset, good: number, perDefect: number, seed: number): Dataset {
  const test = samplesOfSplit(dataset, 'test');
  const random = mulberry32(seed);
  const pick = (samples: DatasetSample[], count: number): DatasetSample[] => shuffled(samples, random).slice(0, count);
  const chosen = new Set<DatasetSample>(
    pick(
      test.filter((sample) => sample.label === 'normal'),
      good,
    ),
  );
  for (const defect of dataset.defectTypes) {
    for (const sample of pick(
      test.filter((s) => s.defectType === defect),
      perDefect,
    ))
      chosen.add(sample);
  }
  return { ...dataset, samples: dataset.samples.filter((sample) => sample.split === 'train' || chosen.has(sample)) };
}

function cell(value: number | null): string {
  return value === null ? 'n/a' : value.toFixed(3);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      data: { type: 'string' },
      out: { type: 'string' },
      epochs: { type: 'string', default: '20' },
      size: { type: 'string', default: '128' },
      'test-good': { type: 'string', default: '30' },
      'test-per-defect': { type: 'string', default: '20' },
      models: { type: 'string' },
      'attention-weight': { type: 'string' },
    },
  });
  if (values['attention-weight'] !== undefined) attentionWeight = Number(values['attention-weight']);
  if (values.data === undefined || values.out === undefined) throw new Error('--data and --out are required');
  const spec = formatDataSpec(parseDataSpec(values.data));
  const full = await loadDataSpec(parseDataSpec(spec));
  const dataset = subset(full, Number(values['test-good']), Number(values['test-per-defect']), 7);
  const variants =
    values.models === undefined
      ? MODEL_VARIANTS
      : MODEL_VARIANTS.filter((variant) => values.models!.split(',').includes(variant.name));
  const rows: Record<string, unknown>[] = [];
  console.log('| model | map | layer | sign | image AUROC | pixel AUROC | AUPRO@0.3 | F1-max | best IoU |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const variant of variants) {
    const config = resolveConfig(spec, dataset, {
      preset: 'small',
      device: 'cpu',
      imageSize: Number(values.size),
      epochs: Number(values.epochs),
    });
    variant.apply(config);
    const paths = outputPaths(`${values.out}/${variant.name}`);
    const context: RunContext = { dataset, config, paths };
    let firstStep = '';
    const trained = await trainModel(context, {
      resume: false,
      onProgress: (event) => {
        if (event.type === 'train' && event.progress.epoch === 1 && event.progress.step === 1)
          firstStep = `first step: loss ${event.progress.loss}, attention ${event.progress.attentionLoss}`;
      },
    });
    console.error(`${variant.name}: ${firstStep}`);
    console.error(
      `${variant.name}: trained in ${trained.seconds.toFixed(0)} s, last loss ${trained.record.epochLosses.at(-1)}`,
    );
    for (const layer of layerNames(config.model.depth)) {
      for (const sign of SIGNS) {
        context.config = {
          ...config,
          explain: { ...config.explain, layer, sign, attentionTargets: ['loss', 'latent', 'reencoded'] },
        };
        await explainTestSet(context);
        const evaluation = await evaluateMaps(context);
        for (const mapType of evaluation.mapTypes) {
          const isGradCam = mapType.startsWith('attention');
          // The residual and SSIM maps do not depend on the layer or sign: one row each.
          if (!isGradCam && (layer !== 'enc1' || sign !== 'relu')) continue;
          const metrics = evaluation.maps[mapType]!;
          const target = mapType === 'attention' ? 'attention-loss' : mapType;
          rows.push({
            model: variant.name,
            attentionWeight: config.train.attentionWeight,
            map: target,
            layer,
            sign,
            trainSeconds: trained.seconds,
            ...metrics,
          });
          console.log(
            `| ${variant.name} | ${target} | ${isGradCam ? layer : '-'} | ${isGradCam ? sign : '-'} | ` +
              `${cell(metrics.imageAuroc)} | ${cell(metrics.pixelAuroc)} | ${cell(metrics.aupro)} | ` +
              `${cell(metrics.f1Max)} | ${cell(metrics.bestIou)} |`,
          );
        }
      }
    }
    await writeJsonFile(`${values.out}/calibration.json`, rows);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
