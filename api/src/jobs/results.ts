import type { Prisma } from '@prisma/client';
import type { Evaluation as PipelineEvaluation, ExplainStore } from '@vad/models';
import sharp from 'sharp';

import type { FileLease } from '../files/leases';
import { MAIN_MAP } from '../db/reads';
import { rangeOf, type ValueRange } from '../files/render';
import type { StoredMap } from '../files/result-maps';
import { encodeScoreMap } from '../files/score-map';

export interface StoredResults {
  rows: Prisma.ResultCreateManyInput[];
  /** Per map type, its [min, max] over every result: maps of one run are coloured on one scale. */
  mapRanges: Record<string, ValueRange>;
}

/** A reconstruction (C x H x W, 0-255) as a PNG (H x W x C). */
export async function reconstructionPng(data: Uint8Array, channels: number, size: number): Promise<Buffer> {
  const plane = size * size;
  const interleaved = Buffer.alloc(channels * plane);
  for (let c = 0; c < channels; c++)
    for (let i = 0; i < plane; i++) interleaved[i * channels + c] = data[c * plane + i]!;
  return sharp(interleaved, { raw: { width: size, height: size, channels: channels as 1 | 3 } })
    .toColourspace(channels === 1 ? 'b-w' : 'srgb')
    .png()
    .toBuffer();
}

/**
 * Stores every explained image's maps, of every map type, and its reconstruction under the run's file lease
 * (identical maps are one file, which another run's dataset may be deleting); returns the rows to write in the
 * transaction that commits the lease.
 */
export async function storeExplainedResults(
  runId: string,
  explained: ExplainStore,
  files: FileLease,
): Promise<StoredResults> {
  const { index, maps, reconstructions } = explained;
  const size = index.imageSize;
  const plane = size * size;
  const mapTypes = index.mapTypes.filter((mapType) => maps[mapType]);
  const rows: Prisma.ResultCreateManyInput[] = [];
  const ranges: Record<string, [number, number]> = {};
  for (let i = 0; i < index.samples.length; i++) {
    const sample = index.samples[i]!;
    const mapKeys: StoredMap[] = [];
    for (const mapType of mapTypes) {
      const data = maps[mapType]!.slice(i * plane, (i + 1) * plane);
      const [min, max] = rangeOf(data);
      const range = (ranges[mapType] ??= [min, max]);
      range[0] = Math.min(range[0], min);
      range[1] = Math.max(range[1], max);
      mapKeys.push({ mapType, key: await files.put(encodeScoreMap({ width: size, height: size, data })) });
    }
    const reconstruction = reconstructions.subarray(i * index.channels * plane, (i + 1) * index.channels * plane);
    const score = sample.scores[MAIN_MAP] ?? Object.values(sample.scores)[0] ?? 0;
    rows.push({
      runId,
      // The job's dataset names each sample by its image's id.
      imageId: sample.id,
      score,
      scores: sample.scores,
      mapKeys,
      reconstructionKey: await files.put(await reconstructionPng(reconstruction, index.channels, size)),
    });
  }
  return { rows, mapRanges: ranges };
}

type JsonCurve = Record<string, (number | null)[]>;

/** Typed arrays and infinities as JSON can hold them (curves start at threshold +Infinity: null). */
function curveJson(curve: object | null): JsonCurve | null {
  if (!curve) return null;
  const out: JsonCurve = {};
  for (const [key, values] of Object.entries(curve)) {
    out[key] = Array.from(values as ArrayLike<number>, (value) => (Number.isFinite(value) ? value : null));
  }
  return out;
}

/** The pipeline's evaluation split into the metrics and the curves columns of an Evaluation row. */
export function evaluationJson(evaluation: PipelineEvaluation): {
  metrics: Prisma.InputJsonObject;
  curves: Prisma.InputJsonObject;
} {
  const metrics: Record<string, Prisma.InputJsonValue> = {};
  const curves: Record<string, Prisma.InputJsonValue> = {};
  for (const mapType of evaluation.mapTypes) {
    const map = evaluation.maps[mapType];
    if (!map) continue;
    const { imageAuroc, imageF1Max, imageThreshold, pixelAuroc, aupro, f1Max, f1Threshold, bestIou, perDefect } = map;
    metrics[mapType] = {
      overall: { imageAuroc, imageF1Max, imageThreshold, pixelAuroc, aupro, f1Max, f1Threshold, bestIou },
      perDefect,
    } as unknown as Prisma.InputJsonObject;
    const curveSet = (set: { imageRoc: object | null; pixelRoc: object | null; pro: object | null }) => ({
      imageRoc: curveJson(set.imageRoc),
      pixelRoc: curveJson(set.pixelRoc),
      pro: curveJson(set.pro),
    });
    curves[mapType] = {
      overall: curveSet(map.curves),
      perDefect: Object.fromEntries(
        Object.entries(map.perDefectCurves).map(([defect, set]) => [defect, curveSet(set)]),
      ),
    } as Prisma.InputJsonObject;
  }
  return {
    metrics: { mapTypes: evaluation.mapTypes, maps: metrics, images: evaluation.images } as Prisma.InputJsonObject,
    curves,
  };
}
