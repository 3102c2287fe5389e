import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';

import { DEFAULT_MAX_FPR } from '@vad/native';

import { preprocessSamples, samplesOfSplit } from '../datasets';
import type { DatasetLayout } from '../datasets';
import type { PipelineConfig } from '../pipeline/config';
import type { RunContext } from '../pipeline/context';
import type { Evaluation, MetricSet } from '../pipeline/evaluate';
import type { PipelineHooks } from '../pipeline/events';
import { readExplainStore } from '../pipeline/explain-store';
import type { ExplainStore } from '../pipeline/explain-store';
import { readJsonFile, writeJsonFile } from '../pipeline/json-file';
import { mapTypesOf } from '../maps/glossary';
import { safeSegment } from '../pipeline/paths';
import type { TrainRecord } from '../pipeline/train';
import { writeCurvesFigure } from './curves-figure';
import { PANEL_COLUMNS, writePanelsFigure } from './panels-figure';
import type { PanelRow } from './panels-figure';
import { writeTrainingFigure } from './training-figure';
import type { ReconstructionQuality } from '../pipeline/reconstruction-quality';

/** report.json: what was evaluated, how, how long it took, and every metric of every map type. */
export interface Report {
  dataset: {
    name: string;
    layout: DatasetLayout;
    category: string;
    /** The --data spec the run used. */
    data: string;
    trainImages: number;
    testImages: { normal: number; anomalous: number; withoutMask: number };
    /** Anomalous test images per defect type. */
    defectTypes: Record<string, number>;
    channels: number;
    warnings: string[];
  };
  config: PipelineConfig;
  /** Whether the model learned the images, to read before any map. */
  training: {
    epochsCompleted: number;
    /** Mean training loss of every epoch. */
    epochLosses: number[];
    /** Loss of the held-back normal images after every epoch (empty: none held back, or an older engine). */
    validationLosses: number[];
    /** The epoch whose weights the model kept, the lowest validation loss (null: the last epoch's). */
    bestEpoch: number | null;
    /** Reconstruction of the held-back normal images after training (null: none held back). */
    heldBack: ReconstructionQuality | null;
  };
  timings: {
    /** Training time, summed over resumed runs. */
    trainSeconds: number;
    /** Wall time of the explain step (decoding, model, writing maps). */
    explainSeconds: number;
    /** Test images explained per second of explainSeconds. */
    imagesPerSecond: number;
  };
  maps: Record<string, MetricSet & { perDefect: Record<string, MetricSet> }>;
}

export interface ReportFiles {
  json: string;
  markdown: string;
  curves: string;
  figures: string[];
}

/** Test images per panel figure. */
const PANEL_ROWS = 6;

export function buildReport(
  context: RunContext,
  evaluation: Evaluation,
  train: TrainRecord,
  explain: { seconds: number; imagesPerSecond: number },
): Report {
  const { dataset, config } = context;
  const maps: Report['maps'] = {};
  for (const mapType of evaluation.mapTypes) {
    const { imageAuroc, imageF1Max, imageThreshold, pixelAuroc, aupro, f1Max, f1Threshold, bestIou, perDefect } =
      evaluation.maps[mapType]!;
    maps[mapType] = {
      imageAuroc,
      imageF1Max,
      imageThreshold,
      pixelAuroc,
      aupro,
      f1Max,
      f1Threshold,
      bestIou,
      perDefect,
    };
  }
  return {
    dataset: {
      name: dataset.name,
      layout: dataset.layout,
      category: dataset.category,
      data: config.data,
      trainImages: samplesOfSplit(dataset, 'train').length,
      testImages: {
        normal: evaluation.images.normal,
        anomalous: evaluation.images.anomalous,
        withoutMask: evaluation.images.withoutMask,
      },
      defectTypes: evaluation.images.perDefect,
      channels: config.model.channels,
      warnings: dataset.warnings,
    },
    config,
    training: {
      epochsCompleted: train.epochsCompleted,
      epochLosses: train.epochLosses,
      validationLosses: train.validationLosses ?? [],
      bestEpoch: train.bestEpoch ?? null,
      heldBack: train.heldBack ?? null,
    },
    timings: {
      trainSeconds: train.seconds,
      explainSeconds: explain.seconds,
      imagesPerSecond: explain.imagesPerSecond,
    },
    maps,
  };
}

function formatMetric(value: number | null): string {
  return value === null ? 'n/a' : value.toFixed(3);
}

function metricCells(metrics: MetricSet): string {
  return [metrics.imageAuroc, metrics.pixelAuroc, metrics.aupro, metrics.f1Max, metrics.bestIou]
    .map(formatMetric)
    .join(' | ');
}

const METRIC_HEADER = 'image AUROC | pixel AUROC | AUPRO@0.3 | F1-max | best IoU';

function trainingLines(training: Report['training'], figure: string | null): string[] {
  const last = (values: readonly number[]) => (values.length > 0 ? values.at(-1)!.toPrecision(4) : 'n/a');
  const held = training.heldBack;
  return [
    '## Training',
    '',
    'Read this before any map: a model that has not learned the normal images explains nothing.',
    '',
    `- ${training.epochsCompleted} epochs; last training loss ${last(training.epochLosses)}` +
      (training.validationLosses.length > 0 ? `, last validation loss ${last(training.validationLosses)}` : ''),
    ...(training.bestEpoch === null
      ? []
      : [
          `- The model is epoch ${training.bestEpoch}'s, the lowest validation loss ` +
            `(${training.validationLosses[training.bestEpoch - 1]?.toPrecision(4) ?? 'n/a'}).`,
        ]),
    held === null
      ? '- No normal images were held back (fewer than 10 training images), so the reconstruction of unseen normal ' +
        'images is not measured.'
      : `- Reconstruction of ${held.images} held-back normal images: PSNR ${held.psnr.toFixed(2)} dB, SSIM ` +
        `${held.ssim.toFixed(3)}, loss ${held.loss.toPrecision(4)}`,
    ...(figure === null ? [] : ['', `![loss per epoch](${figure})`]),
    '',
  ];
}

export function renderMarkdown(
  report: Report,
  figures: { curves: Record<string, string>; panels: string[]; training?: string },
): string {
  const { dataset, config, timings } = report;
  const descriptions = new Map<string, string>(
    mapTypesOf(config.explain, config.model).map((spec) => [spec.name, spec.description]),
  );
  const model = config.model;
  const lines: string[] = [
    `# Anomaly detection report: ${dataset.name}`,
    '',
    `- Data: \`${dataset.data}\` (${dataset.layout} layout, category ${dataset.category}, ${dataset.channels === 1 ? 'grayscale' : 'colour'})`,
    `- Images: ${dataset.trainImages} normal training images` +
      (report.training.heldBack === null
        ? ''
        : ` (${report.training.heldBack.images} of them held back from training)`) +
      `; ${dataset.testImages.normal} normal and ` +
      `${dataset.testImages.anomalous} anomalous test images` +
      (dataset.testImages.withoutMask > 0 ? ` (${dataset.testImages.withoutMask} without a mask)` : ''),
    `- Model: preset \`${config.preset}\`, U-Net at ${model.imageSize} px, depth ${model.depth}, base width ` +
      `${model.baseChannels}, ${model.skips ? `skips${model.dropTopSkips > 0 ? ` (top ${model.dropTopSkips} dropped)` : ''}` : 'no skips'}, ` +
      `loss ${model.loss}, seed ${model.seed}` +
      (model.segmentationHead === true ? '; a segmentation head trained beside it (the `segmentation` map)' : ''),
    `- Training: ${config.train.epochs} epochs, batch ${config.train.batchSize}, learning rate ${config.train.learningRate}, ` +
      `attention weight ${config.train.attentionWeight}` +
      (config.train.attentionWeight > 0 ? ` (${config.train.attentionLayer}, ${config.train.attentionSign})` : ''),
    `- Image score: ${config.explain.score === 'max' ? 'maximum of the map' : 'mean of the top 1 % of the map'}`,
    `- Time: training ${timings.trainSeconds.toFixed(1)} s; explaining ${timings.explainSeconds.toFixed(1)} s ` +
      `(${timings.imagesPerSecond.toFixed(1)} images/s)`,
    '',
    ...trainingLines(report.training, figures.training ?? null),
    '## Metrics',
    '',
    'Pixel metrics at each image’s original resolution (maps upsampled bilinearly); F1-max and best IoU are pixel-level.',
    '',
    `| map | ${METRIC_HEADER} |`,
    '|---|---|---|---|---|---|',
    ...Object.entries(report.maps).map(([mapType, metrics]) => `| ${mapType} | ${metricCells(metrics)} |`),
    '',
    ...Object.keys(report.maps).map((mapType) => `- **${mapType}**: ${descriptions.get(mapType) ?? ''}`),
    '',
    '## Per defect type',
    '',
    'Each defect type’s images against all normal test images.',
  ];
  for (const [mapType, metrics] of Object.entries(report.maps)) {
    lines.push('', `### ${mapType}`, '', `| defect | images | ${METRIC_HEADER} |`, '|---|---|---|---|---|---|---|');
    for (const [defect, perDefect] of Object.entries(metrics.perDefect))
      lines.push(`| ${defect} | ${dataset.defectTypes[defect] ?? 0} | ${metricCells(perDefect)} |`);
  }
  lines.push('', '## Curves', '');
  for (const [mapType, file] of Object.entries(figures.curves))
    lines.push(`![ROC and PRO curves of ${mapType}](${file})`, '');
  if (figures.panels.length > 0) {
    lines.push(
      '## Highest- and lowest-scoring test images',
      '',
      `Columns: ${PANEL_COLUMNS.join(' | ')}. Overlay colours share one scale across rows (dark: low, bright: high).`,
      '',
      ...figures.panels.flatMap((file) => [`![test images](${file})`, '']),
    );
  }
  lines.push(
    '## Files',
    '',
    `- \`maps/${safeSegment(dataset.category)}/test/<defect>/<name>.tiff\`: the attention map of every test image ` +
      'at its original resolution, float32 TIFF (the layout MVTec AD’s evaluation script reads)',
    '- `curves.json`: ROC and PRO curves of every map, overall and per defect type',
    '- `report.json`: the figures above; `config.json`: the full configuration',
  );
  if (dataset.warnings.length > 0) lines.push('', '## Warnings', '', ...dataset.warnings.map((w) => `- ${w}`));
  return `${lines.join('\n')}\n`;
}

/** The value range drawn by the colour scale: robust ends (0.5th and 99.5th percentile) of a sample of the values. */
function displayRange(values: Float32Array): { low: number; high: number } {
  const stride = Math.max(1, Math.floor(values.length / 200_000));
  const sample = new Float32Array(Math.ceil(values.length / stride));
  for (let i = 0, k = 0; i < values.length; i += stride, k++) sample[k] = values[i]!;
  sample.sort();
  const at = (q: number): number => sample[Math.min(sample.length - 1, Math.floor(q * sample.length))]!;
  return { low: at(0.005), high: at(0.995) };
}

async function panelRows(context: RunContext, store: ExplainStore, indices: number[]): Promise<PanelRow[]> {
  const { index } = store;
  const size = index.imageSize;
  const plane = size * size;
  const byId = new Map(context.dataset.samples.map((sample) => [sample.id, sample]));
  const samples = indices.map((i) => byId.get(index.samples[i]!.id)!);
  const batch = await preprocessSamples(samples, {
    width: size,
    height: size,
    channels: index.channels === 3 ? 3 : 1,
    masks: true,
  });
  const attention = store.maps[index.mapTypes[0]!]!;
  return indices.map((i, k) => {
    const explained = index.samples[i]!;
    const score = explained.scores[index.mapTypes[0]!]!;
    return {
      caption: `${explained.id} (score ${score.toPrecision(4)})`,
      channels: index.channels,
      size,
      original: batch.images.subarray(k * index.channels * plane, (k + 1) * index.channels * plane),
      reconstruction: store.reconstructions.subarray(i * index.channels * plane, (i + 1) * index.channels * plane),
      map: attention.subarray(i * plane, (i + 1) * plane),
      mask: batch.hasMask[k]
        ? { width: size, height: size, data: batch.masks!.subarray(k * plane, (k + 1) * plane) }
        : null,
    };
  });
}

/**
 * report.json, report.md, curves.json and the figures, from an evaluation of the run's explain output: `explained`
 * as the explain step returned it, or as it left it in the run folder.
 */
export async function writeReport(
  context: RunContext,
  evaluation: Evaluation,
  hooks: PipelineHooks = {},
  explained?: ExplainStore,
): Promise<{ report: Report; files: ReportFiles }> {
  const { paths } = context;
  const emit = hooks.onProgress ?? (() => {});
  emit({ type: 'stage', stage: 'report', message: `writing the report to ${paths.root}` });
  const train = await readJsonFile<TrainRecord>(paths.trainRecord, 'training record', 'train first');
  const store = explained ?? (await readExplainStore(paths.explainDir));
  const report = buildReport(context, evaluation, train, store.index);

  await rm(paths.figuresDir, { recursive: true, force: true });
  await mkdir(paths.figuresDir, { recursive: true });
  const curveFiles: Record<string, string> = {};
  for (const mapType of evaluation.mapTypes) {
    hooks.signal?.throwIfAborted();
    const path = join(paths.figuresDir, `curves-${mapType}.png`);
    const metrics = evaluation.maps[mapType]!;
    await writeCurvesFigure(path, { mapType, ...metrics, maxFpr: DEFAULT_MAX_FPR });
    curveFiles[mapType] = relative(paths.root, path);
  }

  const primary = evaluation.mapTypes[0]!;
  const order = store.index.samples
    .map((sample, i) => ({ i, score: sample.scores[primary]! }))
    .sort((a, b) => b.score - a.score)
    .map((entry) => entry.i);
  const rows = Math.min(PANEL_ROWS, Math.ceil(order.length / 2));
  const range = displayRange(store.maps[primary]!);
  const panelFiles: string[] = [];
  for (const [name, indices] of [
    ['highest', order.slice(0, rows)],
    ['lowest', order.slice(-rows).reverse()],
  ] as const) {
    hooks.signal?.throwIfAborted();
    const path = join(paths.figuresDir, `${name}-scoring.png`);
    await writePanelsFigure(path, {
      title: `${name === 'highest' ? 'Highest' : 'Lowest'}-scoring test images by the ${primary} map`,
      rows: await panelRows(context, store, [...indices]),
      mapRange: range,
    });
    panelFiles.push(relative(paths.root, path));
  }

  const trainingPath = join(paths.figuresDir, 'training.png');
  await writeTrainingFigure(trainingPath, {
    trainingLosses: report.training.epochLosses,
    validationLosses: report.training.validationLosses,
  });
  const trainingFile = relative(paths.root, trainingPath);

  await writeJsonFile(paths.reportJson, report);
  const curves: Record<string, unknown> = {};
  for (const mapType of evaluation.mapTypes) {
    const { curves: overall, perDefectCurves } = evaluation.maps[mapType]!;
    curves[mapType] = { overall, perDefect: perDefectCurves };
  }
  await writeFile(paths.curves, JSON.stringify(curves, typedArraysAsLists));
  await writeFile(
    paths.reportMarkdown,
    renderMarkdown(report, { curves: curveFiles, panels: panelFiles, training: trainingFile }),
  );
  return {
    report,
    files: {
      json: paths.reportJson,
      markdown: paths.reportMarkdown,
      curves: paths.curves,
      figures: [trainingFile, ...Object.values(curveFiles), ...panelFiles].map((file) => join(paths.root, file)),
    },
  };
}

/** Curves hold Float64Arrays, which JSON.stringify would write as index-keyed objects. */
function typedArraysAsLists(_key: string, value: unknown): unknown {
  return value instanceof Float64Array || value instanceof Float32Array ? Array.from(value) : value;
}
