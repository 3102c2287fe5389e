import type { GroundTruthMask, ProCurve, RocCurve, ScoreMap } from '@vad/native';

import { DECODE_CONCURRENCY, decodeGroundTruth, mapWithLimit, samplesOfSplit, upsampleMapToSample } from '../datasets';
import type { DatasetSample } from '../datasets';
import { imageAurocOrNull, imageF1MaxOrNull } from '../metrics/image-auroc';
import { evaluatePixelsOrNull } from '../metrics/pixel-evaluation';
import type { RunContext } from './context';
import type { PipelineHooks } from './events';
import { readExplainStore } from './explain-store';
import type { ExplainStore } from './explain-store';

/** The figures of one map on one set of images; null where the set cannot define it (one class only). */
export interface MetricSet {
  imageAuroc: number | null;
  /** Image-level F1-max of the image scores over all thresholds. */
  imageF1Max: number | null;
  /** The image score where image F1-max is reached: images scoring at or above it are called anomalous. */
  imageThreshold: number | null;
  pixelAuroc: number | null;
  /** Area under the per-region overlap curve up to FPR 0.3, normalised (MVTec AD's AUPRO@0.3). */
  aupro: number | null;
  /** Pixel-level F1-max over all thresholds. */
  f1Max: number | null;
  /** The map value where F1-max is reached: pixels at or above it are the predicted defect. */
  f1Threshold: number | null;
  /** Pixel-level best IoU over all thresholds. */
  bestIou: number | null;
}

export interface CurveSet {
  imageRoc: RocCurve | null;
  pixelRoc: RocCurve | null;
  pro: ProCurve | null;
}

export interface MapEvaluation extends MetricSet {
  /** Each defect type against all normal test images. */
  perDefect: Record<string, MetricSet>;
  curves: CurveSet;
  perDefectCurves: Record<string, CurveSet>;
}

export interface Evaluation {
  mapTypes: string[];
  maps: Record<string, MapEvaluation>;
  images: {
    normal: number;
    anomalous: number;
    perDefect: Record<string, number>;
    /** Anomalous images without a mask: in image metrics, not in pixel metrics. */
    withoutMask: number;
  };
  seconds: number;
}

/** Points kept per stored curve: plenty for a plot, small enough for curves.json. The metrics stay exact. */
const CURVE_POINTS = 256;

interface TestImage {
  sample: DatasetSample;
  label: 0 | 1;
  mask: GroundTruthMask | null;
}

/**
 * For each map type: image AUROC (from the image scores), and pixel AUROC, AUPRO@0.3, F1-max and best IoU with
 * the maps upsampled to each image's original resolution (the MVTec AD convention), overall and per defect type.
 */
export async function evaluateMaps(
  context: RunContext,
  hooks: PipelineHooks = {},
  explained?: ExplainStore,
): Promise<Evaluation> {
  const { dataset, paths } = context;
  const emit = hooks.onProgress ?? (() => {});
  const started = performance.now();
  // The explain step's output as it returned it, or as it left it in the run folder.
  const store = explained ?? (await readExplainStore(paths.explainDir));
  const images = await matchTestImages(context, store);
  const defects = [...new Set(images.filter((image) => image.label === 1).map((image) => image.sample.defectType))];
  defects.sort((a, b) => dataset.defectTypes.indexOf(a) - dataset.defectTypes.indexOf(b));

  const subsets: { name: string | null; indices: number[] }[] = [
    { name: null, indices: images.map((_, i) => i) },
    ...defects.map((defect) => ({
      name: defect,
      indices: images.flatMap((image, i) => (image.label === 0 || image.sample.defectType === defect ? [i] : [])),
    })),
  ];

  const size = store.index.imageSize;
  const plane = size * size;
  const maps: Record<string, MapEvaluation> = {};
  const mapTypes = store.index.mapTypes;
  for (const [m, mapType] of mapTypes.entries()) {
    hooks.signal?.throwIfAborted();
    emit({ type: 'evaluate', mapType, done: m, total: mapTypes.length });
    const values = store.maps[mapType]!;
    // At each image's own resolution, as MVTec AD evaluates; one map type at a time bounds memory.
    const fullMaps: ScoreMap[] = images.map((image, i) => ({
      width: image.sample.width,
      height: image.sample.height,
      data: upsampleMapToSample(values.subarray(i * plane, (i + 1) * plane), size, size, image.sample),
    }));
    const scores = Float32Array.from(store.index.samples, (sample) => sample.scores[mapType]!);
    let overall: { metrics: MetricSet; curves: CurveSet } | null = null;
    const perDefect: Record<string, MetricSet> = {};
    const perDefectCurves: Record<string, CurveSet> = {};
    for (const subset of subsets) {
      const result = await evaluateSubset(subset.indices, images, scores, fullMaps);
      if (subset.name === null) overall = result;
      else {
        perDefect[subset.name] = result.metrics;
        perDefectCurves[subset.name] = result.curves;
      }
    }
    maps[mapType] = { ...overall!.metrics, perDefect, curves: overall!.curves, perDefectCurves };
  }
  emit({ type: 'evaluate', mapType: mapTypes.at(-1) ?? '', done: mapTypes.length, total: mapTypes.length });

  const perDefectCounts: Record<string, number> = {};
  for (const defect of defects)
    perDefectCounts[defect] = images.filter((image) => image.sample.defectType === defect).length;
  return {
    mapTypes,
    maps,
    images: {
      normal: images.filter((image) => image.label === 0).length,
      anomalous: images.filter((image) => image.label === 1).length,
      perDefect: perDefectCounts,
      withoutMask: images.filter((image) => image.mask === null).length,
    },
    seconds: (performance.now() - started) / 1000,
  };
}

/**
 * The figures and curves of the images at `indices`: image AUROC from `scores`, the pixel figures from the maps
 * of those with a mask (maps and masks at one resolution). Curves keep `curvePoints` points.
 */
export async function evaluateSubset(
  indices: readonly number[],
  images: readonly Pick<TestImage, 'label' | 'mask'>[],
  scores: Float32Array,
  fullMaps: readonly ScoreMap[],
  curvePoints = CURVE_POINTS,
): Promise<{ metrics: MetricSet; curves: CurveSet }> {
  const subsetScores = Float32Array.from(indices, (i) => scores[i]!);
  const subsetLabels = Uint8Array.from(indices, (i) => images[i]!.label);
  const image = await imageAurocOrNull(subsetScores, subsetLabels);
  const imageF1 = await imageF1MaxOrNull(subsetScores, subsetLabels);
  const withMasks = indices.filter((i) => images[i]!.mask !== null);
  const pixel = await evaluatePixelsOrNull(
    withMasks.map((i) => fullMaps[i]!),
    withMasks.map((i) => images[i]!.mask!),
    { maxCurvePoints: curvePoints },
  );
  return {
    metrics: {
      imageAuroc: image?.auroc ?? null,
      imageF1Max: imageF1?.f1 ?? null,
      imageThreshold: imageF1?.threshold ?? null,
      pixelAuroc: pixel?.auroc.auroc ?? null,
      aupro: pixel?.aupro.aupro ?? null,
      f1Max: pixel?.f1Max.f1 ?? null,
      f1Threshold: pixel?.f1Max.threshold ?? null,
      bestIou: pixel?.bestIou.iou ?? null,
    },
    curves: { imageRoc: image?.curve ?? null, pixelRoc: pixel?.auroc.curve ?? null, pro: pixel?.aupro.curve ?? null },
  };
}

/** The explained images in the dataset's test split, with their ground truth at the original resolution. */
async function matchTestImages(context: RunContext, store: ExplainStore): Promise<TestImage[]> {
  const byId = new Map(samplesOfSplit(context.dataset, 'test').map((sample) => [sample.id, sample]));
  const where = context.paths.explainDir;
  if (store.index.samples.length !== byId.size) {
    throw new Error(
      `${where}: explained ${store.index.samples.length} test images, the dataset has ${byId.size}: explain again`,
    );
  }
  const samples = store.index.samples.map((explained) => {
    const sample = byId.get(explained.id);
    if (sample === undefined || sample.width !== explained.width || sample.height !== explained.height)
      throw new Error(`${where}: ${explained.id} is not an image of this dataset's test split: explain again`);
    return sample;
  });
  return mapWithLimit(samples, DECODE_CONCURRENCY, async (sample) => ({
    sample,
    label: sample.label === 'anomalous' ? 1 : 0,
    mask: await decodeGroundTruth(sample),
  }));
}
