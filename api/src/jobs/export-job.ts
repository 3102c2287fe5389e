import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

import type { Dataset, Export, Prisma, Run } from '@prisma/client';
import { encodeFloatTiff } from '@vad/models';
import sharp from 'sharp';

import { Topic } from '../events/pubsub';
import { rawMapValues } from '../files/raw-maps';
import { binaryMaskPng } from '../files/render';
import { storedMaps } from '../files/result-maps';
import { decodeScoreMap } from '../files/score-map';
import { withoutServerPaths } from '../graphql/server-paths';
import { countsToString, encodeRle } from './coco-rle';
import { exportFile } from '../files/exports';
import { sweepExports, ZipBuilder } from './export-zip';
import { cocoFileName, ImageMatcher, mvtecImagePath, mvtecMaskPath, type NamedImage } from './mask-files';
import { runOutputFolder, type WorkerContext } from './run-job';
import { HandedBack, TrackedJob } from './tracked-job';

/** An evaluation's metrics as jobs/results.ts stores them, as far as exports read them. */
interface StoredMetrics {
  mapTypes?: string[];
  maps?: Record<string, { overall?: { f1Threshold?: number | null; imageThreshold?: number | null } }>;
}

/**
 * Makes an export's zip (exportRun, exportMasks) on a worker: claimed from its QUEUED row, written entry by entry
 * to <VAD_DATA_DIR>/exports/<id>.zip with its progress on the row, then SUCCEEDED with the zip's size (served at
 * /files/exports/<id>.zip), or FAILED with the reason. A worker that stops hands it back; one that dies has it
 * reaped and started again.
 */
export async function handleExportTicket(context: WorkerContext, exportId: string): Promise<void> {
  const { prisma, store } = context;
  const row = await prisma.export.findUnique({ where: { id: exportId } });
  if (!row) return;
  const announce = () => context.publish(Topic.EXPORT_PROGRESS, exportId, { exportId });
  const job = await TrackedJob.claim(context, 'export', row, announce);
  if (!job) return;
  context.running.set(exportId, { abort: () => job.lease.abort() });
  try {
    await sweepExports(store, async (ids) => {
      const rows = await prisma.export.findMany({ where: { id: { in: ids } }, select: { id: true } });
      return new Set(rows.map((found) => found.id));
    }).catch((error: unknown) => context.log(`export sweep: ${(error as Error).message}`));
    const zip = new ZipBuilder(exportFile(store, exportId), {
      mtime: row.createdAt,
      signal: job.signal,
      onEntry: (started, total) => job.report((started - 1) / total, `writing file ${started} of ${total}`),
    });
    try {
      if (row.kind === 'RUN') await addRunFiles(context, row, zip);
      else await addMaskFiles(context, row, zip);
    } catch (error) {
      await zip.discard();
      throw error;
    }
    job.report(0.99, `writing the zip's directory (${zip.entryCount} files)`, true);
    const byteSize = await zip.finish();
    if (!(await job.succeed({ byteSize: BigInt(byteSize), fileCount: zip.entryCount }))) {
      context.log(`export ${exportId}: another worker took it over; its zip is that worker's`);
      return;
    }
    context.log(`export ${exportId} (${row.kind}): ${zip.entryCount} files, ${byteSize} bytes`);
  } catch (error) {
    if (job.lease.lost) {
      context.log(`export ${exportId}: taken over by another worker`);
    } else if (context.stopping || error instanceof HandedBack) {
      await job.handBack('waiting for a worker (the previous one stopped)');
    } else {
      const message = error instanceof Error ? error.message : String(error);
      context.log(`export ${exportId}: failed (${message})`);
      await job.fail(message);
    }
  } finally {
    context.running.delete(exportId);
    await job.release();
  }
}

/** The newest succeeded evaluation of a run, whose thresholds make the predicted masks. */
async function latestEvaluation(context: WorkerContext, runId: string) {
  return context.prisma.evaluation.findFirst({
    where: { runId, status: 'SUCCEEDED' },
    orderBy: { createdAt: 'desc' },
    select: { id: true, createdAt: true, finishedAt: true, metrics: true },
  });
}

/** A CSV field: quoted when it holds a separator, a quote or a line break (RFC 4180). */
function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Distinct zip paths: a second image wanting a path that is taken gets its fallback, then its id appended. */
class UniquePaths {
  readonly #taken = new Set<string>();

  take(preferred: string, fallback: string, id: string): string {
    for (const candidate of [preferred, fallback, `${fallback}__${id.slice(0, 8)}`]) {
      if (!this.#taken.has(candidate)) {
        this.#taken.add(candidate);
        return candidate;
      }
    }
    throw new Error(`two images of the export want the file ${preferred}`);
  }
}

/**
 * A run's export:
 * - report.json: the run (options, resolved config, status, times), its dataset, the decision threshold, the
 *   latest succeeded evaluation's metrics, the thresholds of the predicted masks and each image's path;
 * - scores.csv: one line per scored image, most anomalous first (image, label, defect type, score, each map's score);
 * - maps/<map type>/<category>/test/<defect type>/<name>.tiff: each map's raw float32 values at the image's size,
 *   as /files/results/<id>/<map>.tiff serves them (MVTec AD's evaluation layout: point its script at maps/<map>);
 * - predicted/<map type>/<same path>.png: the map thresholded at the latest evaluation's F1-max threshold of that
 *   map (0/255, as /files/results/<id>/predicted/<map>.png), for maps that have one;
 * - pipeline-report/: the report.md and figures the pipeline wrote when the run finished, when they are there.
 */
async function addRunFiles(context: WorkerContext, row: Export, zip: ZipBuilder): Promise<void> {
  const { prisma, store } = context;
  const run = await prisma.run.findUnique({ where: { id: row.runId! }, include: { dataset: true } });
  if (!run) throw new Error(`run ${row.runId} no longer exists`);
  if (run.status !== 'SUCCEEDED') throw new Error(`run ${run.id} is ${run.status}: only succeeded runs are exported`);
  const results = await prisma.result.findMany({
    where: { runId: run.id },
    orderBy: [{ score: 'desc' }, { id: 'desc' }],
    select: {
      id: true,
      score: true,
      scores: true,
      mapKeys: true,
      image: {
        select: {
          id: true,
          name: true,
          split: true,
          label: true,
          defectType: true,
          width: true,
          height: true,
        },
      },
    },
  });
  const evaluation = await latestEvaluation(context, run.id);
  const metrics = (evaluation?.metrics ?? {}) as StoredMetrics;
  const mapTypes: string[] = [];
  for (const result of results) {
    for (const map of storedMaps(result.mapKeys)) if (!mapTypes.includes(map.mapType)) mapTypes.push(map.mapType);
  }
  const thresholds = Object.fromEntries(
    mapTypes.map((mapType) => [mapType, metrics.maps?.[mapType]?.overall?.f1Threshold ?? null]),
  );
  const paths = new UniquePaths();
  const pathOf = new Map(
    results.map((result) => {
      const { preferred, fallback } = mvtecImagePath(run.dataset.category, result.image);
      return [result.id, paths.take(preferred, fallback, result.image.id)] as const;
    }),
  );

  zip.add('report.json', () =>
    Buffer.from(
      `${JSON.stringify(runReport(run, results.length, evaluation, mapTypes, thresholds, results, pathOf), null, 2)}\n`,
    ),
  );
  zip.add('scores.csv', () => {
    const header = ['image', 'label', 'defect_type', 'score', ...mapTypes];
    const lines = results.map((result) => {
      const scores = (result.scores ?? {}) as Record<string, number>;
      return [
        result.image.name,
        result.image.label,
        result.image.defectType,
        result.score,
        ...mapTypes.map((m) => scores[m]),
      ]
        .map(csvField)
        .join(',');
    });
    return Buffer.from(`${[header.map(csvField).join(','), ...lines].join('\n')}\n`);
  });

  // The map last decoded: its TIFF and its predicted mask are made one after the other from the same values.
  let last: { key: string; values: Float32Array } | null = null;
  const valuesOf = async (key: string, width: number, height: number): Promise<Float32Array> => {
    if (last?.key !== key) last = { key, values: rawMapValues(decodeScoreMap(await store.read(key)), width, height) };
    return last.values;
  };
  for (const result of results) {
    const { width, height } = result.image;
    for (const map of storedMaps(result.mapKeys)) {
      const where = pathOf.get(result.id)!;
      // The bytes /files/results/<id>/<map>.tiff serves (files/raw-maps.ts), from the values already at size.
      zip.add(`maps/${map.mapType}/${where}.tiff`, async () =>
        encodeFloatTiff({ width, height, data: await valuesOf(map.key, width, height) }),
      );
      const cut = thresholds[map.mapType];
      if (cut === null || cut === undefined) continue;
      zip.add(
        `predicted/${map.mapType}/${where}.png`,
        async () => {
          const values = await valuesOf(map.key, width, height);
          return (
            await binaryMaskPng(
              width,
              height,
              Uint8Array.from(values, (value) => (value >= cut ? 1 : 0)),
            )
          ).png;
        },
        false,
      );
    }
  }

  const folder = runOutputFolder(store, run.id);
  const markdown = path.join(folder, 'report.md');
  if (existsSync(markdown)) {
    zip.add('pipeline-report/report.md', async () => Buffer.from(withoutServerPaths(await readFile(markdown, 'utf8'))));
    const figures = await readdir(path.join(folder, 'figures')).catch(() => [] as string[]);
    for (const figure of figures.filter((name) => name.endsWith('.png')).sort()) {
      zip.add(`pipeline-report/figures/${figure}`, () => readFile(path.join(folder, 'figures', figure)), false);
    }
  }
}

function runReport(
  run: Run & { dataset: Dataset },
  imageCount: number,
  evaluation: Awaited<ReturnType<typeof latestEvaluation>>,
  mapTypes: string[],
  thresholds: Record<string, number | null>,
  results: { id: string; image: { id: string; name: string } }[],
  pathOf: Map<string, string>,
): Prisma.JsonObject {
  const metrics = (evaluation?.metrics ?? {}) as StoredMetrics;
  const evaluated = metrics.maps?.[mapTypes[0] ?? 'attention']?.overall?.imageThreshold ?? null;
  return {
    format: 'vad-run-export 1',
    exportedAt: new Date().toISOString(),
    run: {
      id: run.id,
      name: run.name,
      status: run.status,
      device: run.device,
      layers: run.layers,
      createdAt: run.createdAt.toISOString(),
      startedAt: run.startedAt?.toISOString() ?? null,
      finishedAt: run.finishedAt?.toISOString() ?? null,
      options: run.options,
      config: run.config,
    },
    dataset: { id: run.dataset.id, name: run.dataset.name, category: run.dataset.category },
    imageCount,
    decision: {
      threshold: run.scoreThreshold ?? evaluated,
      source: run.scoreThreshold !== null ? 'SET' : evaluated !== null ? 'EVALUATION' : null,
    },
    evaluation: evaluation
      ? {
          id: evaluation.id,
          createdAt: evaluation.createdAt.toISOString(),
          finishedAt: evaluation.finishedAt?.toISOString() ?? null,
          metrics: evaluation.metrics,
        }
      : null,
    mapTypes,
    predictedMaskThresholds: thresholds,
    files: {
      scores: 'scores.csv',
      maps: 'maps/<map type>/<path>.tiff',
      predictedMasks: 'predicted/<map type>/<path>.png',
    },
    images: results.map((result) => ({
      name: result.image.name,
      id: result.image.id,
      path: pathOf.get(result.id)!,
    })),
  };
}

/** A stored 0/255 mask PNG as a row-major 0/1 mask (sharp decodes one channel as RGB unless told). */
async function maskPixels(png: Buffer): Promise<{ width: number; height: number; data: Uint8Array }> {
  const { data, info } = await sharp(png).toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
  const mask = new Uint8Array(info.width * info.height);
  for (let i = 0; i < mask.length; i++) mask[i] = data[i * info.channels]! >= 128 ? 1 : 0;
  return { width: info.width, height: info.height, data: mask };
}

/** [x, y, width, height] of the set pixels, COCO's bbox; zeros for an empty mask. */
function boundingBox(mask: Uint8Array, width: number, height: number): [number, number, number, number] {
  let minX = width;
  let minY = height;
  let maxX = -1;
  let maxY = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (!mask[y * width + x]) continue;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
  }
  return maxX < 0 ? [0, 0, 0, 0] : [minX, minY, maxX - minX + 1, maxY - minY + 1];
}

/**
 * A dataset's masks (each image's latest APPROVED version, or its LATEST whatever its review state), for tools
 * that read MVTec AD folders or COCO:
 * - ground_truth/<defect type>/<name>_mask.png: the stored 0/255 PNG of each image that has such a version;
 * - annotations.json: COCO, one image per mask (file_name: the image's name with its extension, as the dataset
 *   lays it out), categories the defect types, and one annotation per image with its whole mask as compressed
 *   RLE (coco-rle.ts), so that an empty mask stays an explicit empty annotation.
 * importMasks reads either back.
 */
async function addMaskFiles(context: WorkerContext, row: Export, zip: ZipBuilder): Promise<void> {
  const { prisma, store } = context;
  const dataset = await prisma.dataset.findUnique({ where: { id: row.datasetId } });
  if (!dataset) throw new Error(`dataset ${row.datasetId} no longer exists`);
  const images = await prisma.image.findMany({
    where: { datasetId: dataset.id },
    orderBy: { name: 'asc' },
    select: {
      id: true,
      name: true,
      split: true,
      defectType: true,
      width: true,
      height: true,
      mimeType: true,
      currentMaskId: true,
    },
  });
  const masks =
    row.masks === 'LATEST'
      ? await prisma.mask.findMany({
          where: { id: { in: images.flatMap((image) => (image.currentMaskId ? [image.currentMaskId] : [])) } },
        })
      : await prisma.mask.findMany({
          where: { datasetId: dataset.id, status: 'APPROVED' },
          orderBy: [{ imageId: 'asc' }, { version: 'desc' }],
          distinct: ['imageId'],
        });
  const maskOf = new Map(masks.map((mask) => [mask.imageId, mask]));
  const matcher = new ImageMatcher(images);
  const chosen = images.filter((image) => maskOf.has(image.id));
  const categories = [...new Set(chosen.map((image) => image.defectType))].sort();
  const coco = {
    info: {
      description: `${row.masks === 'LATEST' ? 'Latest' : 'Approved'} masks of dataset ${dataset.name}`,
      version: '1.0',
      date_created: row.createdAt.toISOString(),
    },
    licenses: [] as unknown[],
    images: [] as Record<string, unknown>[],
    categories: categories.map((name, i) => ({ id: i + 1, name, supercategory: dataset.category })),
    annotations: [] as Record<string, unknown>[],
  };

  chosen.forEach((image, i) => {
    const mask = maskOf.get(image.id)!;
    zip.add(
      mvtecMaskPath(image as NamedImage, matcher),
      async () => {
        const png = await store.read(mask.contentHash);
        const pixels = await maskPixels(png);
        if (pixels.width !== image.width || pixels.height !== image.height) {
          throw new Error(
            `mask version ${mask.version} of ${image.name} is ${pixels.width} x ${pixels.height}, ` +
              `its image ${image.width} x ${image.height}`,
          );
        }
        coco.images.push({
          id: i + 1,
          file_name: cocoFileName(image as NamedImage, image.mimeType),
          width: image.width,
          height: image.height,
        });
        const rle = encodeRle(pixels.data, pixels.width, pixels.height);
        coco.annotations.push({
          id: i + 1,
          image_id: i + 1,
          category_id: categories.indexOf(image.defectType) + 1,
          segmentation: { size: rle.size, counts: countsToString(rle.counts) },
          area: mask.defectPixels,
          bbox: boundingBox(pixels.data, pixels.width, pixels.height),
          iscrowd: 0,
        });
        return png;
      },
      false,
    );
  });
  // Made last, once every mask before it has been read.
  zip.add('annotations.json', () => Buffer.from(JSON.stringify(coco)));
}
