import type { ScoreMap } from '@vad/native';

import { resizeMaskNearest, upsampleMapToSample } from '../datasets';
import type { BinaryMask, DatasetSample } from '../datasets';
import { imageScore } from '../metrics';
import { evaluateSubset } from '../pipeline/evaluate';
import type { MetricSet } from '../pipeline/evaluate';
import type { ImageScore } from '../options';
import type { Grid } from './grid';
import type { HalfName, HalfResult } from './sweep-file';

/** A test image as the sweep measures it. */
export interface SweepTestImage {
  sample: DatasetSample;
  half: HalfName;
  label: 0 | 1;
  /** Ground truth at the evaluation resolution; null for an anomalous image without a mask (image metrics only). */
  mask: BinaryMask | null;
}

/** Where the pixel metrics are computed, and how a map of the model's size is scored as an image. */
export interface EvaluationSettings {
  evaluateAt: Grid['evaluateAt'];
  /** The model's image size: every map is `size` x `size`. */
  size: number;
  score: ImageScore;
}

/**
 * The test images with their ground truth at the evaluation resolution: as decoded (the original resolution) or
 * resized to the model's size.
 */
export function sweepTestImages(
  samples: readonly DatasetSample[],
  halfOf: ReadonlyMap<DatasetSample, HalfName>,
  masks: readonly (BinaryMask | null)[],
  settings: EvaluationSettings,
): SweepTestImage[] {
  const { evaluateAt, size } = settings;
  return samples.map((sample, i) => {
    const mask = masks[i]!;
    return {
      sample,
      half: halfOf.get(sample)!,
      label: sample.label === 'anomalous' ? 1 : 0,
      mask: mask === null || evaluateAt === 'original' ? mask : resizeMaskNearest(mask, size, size),
    };
  });
}

/** The metrics of one configuration's maps (one per test image, in `images`' order) on each half. */
export async function evaluateHalves(
  images: readonly SweepTestImage[],
  maps: readonly Float32Array[],
  settings: EvaluationSettings,
): Promise<Record<HalfName, HalfResult>> {
  const half = (name: HalfName): Promise<HalfResult> => {
    const members = images.flatMap((image, i) => (image.half === name ? [i] : []));
    return evaluateHalf(
      members.map((i) => images[i]!),
      members.map((i) => maps[i]!),
      settings,
    );
  };
  return { selection: await half('selection'), report: await half('report') };
}

/** Overall, and each defect type against all the half's normal images. */
async function evaluateHalf(
  images: readonly SweepTestImage[],
  maps: readonly Float32Array[],
  settings: EvaluationSettings,
): Promise<HalfResult> {
  const scores = Float32Array.from(maps, (map) => imageScore(map, settings.score));
  const evaluated = images.map((image, i) => evaluatedMap(maps[i]!, image.sample, settings));
  const all = images.map((_, i) => i);
  const defects = [...new Set(images.map((image) => image.sample.defectType))].filter((d) => d !== 'good').sort();
  const perDefect: Record<string, MetricSet> = {};
  for (const defect of defects) {
    const subset = all.filter((i) => images[i]!.label === 0 || images[i]!.sample.defectType === defect);
    perDefect[defect] = (await evaluateSubset(subset, images, scores, evaluated, 2)).metrics;
  }
  return { ...(await evaluateSubset(all, images, scores, evaluated, 2)).metrics, perDefect };
}

/** A map of the model's size as it is evaluated: as it is, or upsampled to its image's original resolution. */
function evaluatedMap(map: Float32Array, sample: DatasetSample, settings: EvaluationSettings): ScoreMap {
  const { size } = settings;
  if (settings.evaluateAt === 'model') return { width: size, height: size, data: map };
  return { width: sample.width, height: sample.height, data: upsampleMapToSample(map, size, size, sample) };
}
