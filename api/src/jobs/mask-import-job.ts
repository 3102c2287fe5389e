import { randomUUID } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';

import type { MaskImport, MaskImportFormat, User } from '@prisma/client';
import sharp from 'sharp';

import type { Viewer } from '../auth/viewer';
import { Topic } from '../events/pubsub';
import { binaryMask } from '../files/binary-mask';
import { FileLease } from '../files/leases';
import { binaryMaskPng } from '../files/render';
import { UploadService, type UploadClaim } from '../files/upload';
import { extractZip, ZipError } from '../files/zip';
import { FailedPreconditionError } from '../graphql/errors';
import { countsFromString, decodeRle, polygonRle, RleError, type Rle } from './coco-rle';
import { ImageMatcher, isUnmatched, maskFileKey, type NamedImage, type Unmatched } from './mask-files';
import type { WorkerContext } from './run-job';
import { HandedBack, TrackedJob } from './tracked-job';

/** Bad input in the zip: the job fails with this message, which names the file, and imports nothing. */
export class MaskImportError extends Error {
  override name = 'MaskImportError';
}

/** A COCO file is parsed whole: one this large is refused rather than risking the worker's memory. */
export const MAX_COCO_BYTES = 256 * 1024 * 1024;

/** A mask read and stored, waiting for the transaction that adds its version. */
interface ReadMask {
  imageId: string;
  /** The file (and, for COCO, the entry) it came from, for messages. */
  from: string;
  contentHash: string;
  width: number;
  height: number;
  defectPixels: number;
}

/** The dataset's images as the matcher and the size checks need them. */
type DatasetImage = NamedImage;

/**
 * importMasks on a worker: claims the MaskImport row and its upload, unpacks the zip (checked like dataset
 * imports: paths, links, sizes), reads every mask (MVTec AD-style PNGs, or a COCO file with RLE or polygons),
 * matches each to an image of the dataset by its file name and checks its size, stores them under a file lease,
 * and adds all the versions in one transaction, which also consumes the upload and ends the job. Any file that
 * names no image, fits none or cannot be read fails the job with a message naming it, and nothing is imported.
 */
export async function handleMaskImportTicket(context: WorkerContext, maskImportId: string): Promise<void> {
  const { prisma, store, config } = context;
  const row = await prisma.maskImport.findUnique({ where: { id: maskImportId }, include: { createdBy: true } });
  if (!row) return;
  const announce = () => context.publish(Topic.MASK_IMPORT_PROGRESS, maskImportId, { maskImportId });
  const job = await TrackedJob.claim(context, 'maskImport', row, announce);
  if (!job) return;
  context.running.set(maskImportId, { abort: () => job.lease.abort() });
  const files = new FileLease(prisma, store);
  let claim: UploadClaim | null = null;
  let saved: { maskId: string }[] = [];
  try {
    if (!row.createdBy) throw new MaskImportError('the admin who asked for this import no longer has an account');
    const uploads = new UploadService(prisma, store, config.limits.maxUploadBytes, config.retention.uploadMs);
    try {
      claim = await uploads.claim(asCreator(row.createdBy), row.uploadId);
    } catch (error) {
      // An earlier attempt that died still holds the upload until its claim lapses: wait for it.
      if (error instanceof FailedPreconditionError && /being imported by another/.test(error.message)) {
        await job.handBack('waiting for the upload (an earlier attempt still holds it)', 60);
        return;
      }
      throw error;
    }
    job.report(0.02, `unpacking ${row.fileName}`, true);
    try {
      await extractZip(claim.file, claim.folder, {
        maxEntries: config.limits.maxZipEntries,
        maxUnzippedBytes: config.limits.maxUnzippedBytes,
      });
    } catch (error) {
      if (error instanceof ZipError) throw new MaskImportError(`${row.fileName}: ${error.message}`);
      throw error;
    }
    const images = await prisma.image.findMany({
      where: { datasetId: row.datasetId },
      select: { id: true, name: true, split: true, defectType: true, width: true, height: true },
    });
    const plan = await planImport(claim.folder, row.requested, row.fileName);
    const reader = new MaskReader(images, files, config.limits.maxImagePixels, job);
    const masks =
      plan.format === 'PNG'
        ? await reader.readPngs(claim.folder, plan.files)
        : await reader.readCoco(claim.folder, plan.files[0]!);
    job.signal.throwIfAborted();
    job.report(0.95, `saving ${masks.length} mask versions`, true);
    saved = await saveVersions(context, row, masks, claim, files, job, plan.format);
    context.log(`mask import ${maskImportId}: ${masks.length} versions from ${row.fileName} (${plan.format})`);
  } catch (error) {
    if (job.lease.lost) {
      context.log(`mask import ${maskImportId}: taken over by another worker`);
    } else if (context.stopping || error instanceof HandedBack) {
      await job.handBack('waiting for a worker (the previous one stopped)');
    } else {
      const message = error instanceof Error ? error.message : String(error);
      context.log(`mask import ${maskImportId}: failed (${message})`);
      await job.fail(message);
    }
  } finally {
    await files.release();
    await claim?.release();
    context.running.delete(maskImportId);
    await job.release();
  }
  // Annotators watching the dataset see the new versions (the subscriber reads each).
  for (const { maskId } of saved) {
    await context.publish(Topic.MASK_CHANGED, row.datasetId, { kind: 'SAVED', maskId }).catch(() => {});
  }
}

/**
 * The upload is claimed as the admin who asked for the import (UploadService.claim lets its uploader or an
 * admin take it): the worker acts for them, with their current role.
 */
export function asCreator(user: User): Viewer {
  return {
    user: { id: user.id, email: user.email, name: user.name, role: user.role },
    credential: { kind: 'session', sessionId: 'mask-import-job' },
  };
}

/** Every file of the unpacked zip, relative and with `/`, leaving out macOS's and hidden files. */
async function listFiles(root: string, below = ''): Promise<string[]> {
  const entries = await readdir(path.join(root, below), { withFileTypes: true });
  const found: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.') || entry.name === '__MACOSX') continue;
    const relative = below ? `${below}/${entry.name}` : entry.name;
    if (entry.isDirectory()) found.push(...(await listFiles(root, relative)));
    else if (entry.isFile()) found.push(relative);
  }
  return found.sort();
}

const isPng = (file: string) => file.toLowerCase().endsWith('.png');
const isJson = (file: string) => file.toLowerCase().endsWith('.json');
const isMaskNamed = (file: string) => file.split('/').includes('ground_truth') || /_mask\.[^./]+$/i.test(file);
const OTHER_IMAGE = /\.(bmp|jpe?g|tiff?|gif|webp)$/i;

/**
 * Which files hold the masks. Asked for PNG: the PNGs under a ground_truth folder or named `*_mask.png` (an MVTec
 * AD folder or an export, whose images or COCO file may come along), or else every PNG (masks named like their
 * images). Asked for COCO: the one .json file. Not asked: PNG masks when there are any so named, else a .json
 * file, else any PNGs.
 */
async function planImport(
  root: string,
  requested: MaskImportFormat | null,
  zipName: string,
): Promise<{ format: MaskImportFormat; files: string[] }> {
  const all = await listFiles(root);
  const pngs = all.filter(isPng);
  const maskPngs = pngs.filter(isMaskNamed);
  const jsons = all.filter(isJson);
  const format: MaskImportFormat = requested ?? (maskPngs.length === 0 && jsons.length > 0 ? 'COCO' : 'PNG');
  if (format === 'COCO') {
    if (jsons.length === 0) throw new MaskImportError(`${zipName} holds no .json file (COCO annotations)`);
    if (jsons.length > 1) {
      throw new MaskImportError(
        `${zipName} holds ${jsons.length} .json files (${jsons.slice(0, 5).join(', ')}): send one COCO file`,
      );
    }
    return { format, files: jsons };
  }
  const unreadable = all.filter((file) => isMaskNamed(file) && OTHER_IMAGE.test(file));
  if (unreadable.length > 0) {
    throw new MaskImportError(
      `${unreadable[0]}: masks are read as PNG (0/255 or 0/1 grey, or light strokes on black); convert this file`,
    );
  }
  const files = maskPngs.length > 0 ? maskPngs : pngs;
  if (files.length === 0) {
    throw new MaskImportError(
      `${zipName} holds no masks: PNGs (ground_truth/<defect type>/<image name>_mask.png, or named like their ` +
        'images) or one COCO .json file',
    );
  }
  return { format, files };
}

/** "no image", or the candidates, for a message naming the file. */
function unmatchedText(found: Unmatched, datasetWhat: string): string {
  return found.problem === 'unknown'
    ? `names no image of ${datasetWhat}`
    : `could be any of ${found.candidates.slice(0, 5).join(', ')}${found.candidates.length > 5 ? '...' : ''}: ` +
        'name it by its whole image name (e.g. test/crack/003)';
}

/** A 0/1 mask read from any PNG as masks are drawn: light pixels (after flattening transparency onto black) or 1s. */
async function decodeMaskPng(
  bytes: Buffer,
  maxPixels: number,
): Promise<{ width: number; height: number; data: Uint8Array }> {
  const { data, info } = await sharp(bytes, { failOn: 'truncated', limitInputPixels: maxPixels })
    .flatten({ background: '#000000' })
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: binaryMask(data, info.channels, info.width * info.height) };
}

/** Reads, checks and stores the masks of one import. */
class MaskReader {
  readonly #matcher: ImageMatcher;
  /** Which file already gave each image its mask: two files for one image are refused. */
  readonly #taken = new Map<string, string>();

  constructor(
    images: DatasetImage[],
    private readonly files: FileLease,
    private readonly maxPixels: number,
    private readonly job: TrackedJob,
  ) {
    this.#matcher = new ImageMatcher(images);
  }

  #find(from: string, key: string, defectTypes: string[] = []): DatasetImage {
    const found = this.#matcher.match(key, defectTypes);
    if (isUnmatched(found)) throw new MaskImportError(`${from}: ${unmatchedText(found, 'this dataset')}`);
    const earlier = this.#taken.get(found.id);
    if (earlier) throw new MaskImportError(`${from} and ${earlier} are both masks of image ${found.name}`);
    this.#taken.set(found.id, from);
    return found;
  }

  async #store(image: DatasetImage, from: string, mask: Uint8Array): Promise<ReadMask> {
    const { png, defectPixels } = await binaryMaskPng(image.width, image.height, mask);
    const contentHash = await this.files.put(png);
    return { imageId: image.id, from, contentHash, width: image.width, height: image.height, defectPixels };
  }

  #progress(done: number, total: number): void {
    this.job.signal.throwIfAborted();
    this.job.report(0.05 + (0.9 * done) / Math.max(1, total), `reading masks: ${done} of ${total}`);
  }

  async readPngs(root: string, files: string[]): Promise<ReadMask[]> {
    const masks: ReadMask[] = [];
    for (const [i, file] of files.entries()) {
      this.#progress(i, files.length);
      const image = this.#find(file, maskFileKey(file));
      const bytes = await readFile(path.join(root, file));
      let size: sharp.Metadata;
      try {
        // The header first: a mask of the wrong size or over the limit is refused before it is decoded.
        size = await sharp(bytes, { limitInputPixels: false }).metadata();
      } catch (error) {
        throw new MaskImportError(`${file} is not a readable PNG (${(error as Error).message.split('\n')[0]})`);
      }
      if (size.width !== image.width || size.height !== image.height) {
        throw new MaskImportError(
          `${file} is ${size.width} x ${size.height}; its image ${image.name} is ${image.width} x ${image.height}`,
        );
      }
      let decoded: Awaited<ReturnType<typeof decodeMaskPng>>;
      try {
        decoded = await decodeMaskPng(bytes, this.maxPixels);
      } catch (error) {
        throw new MaskImportError(`${file} is not a readable PNG (${(error as Error).message.split('\n')[0]})`);
      }
      masks.push(await this.#store(image, file, decoded.data));
    }
    return masks;
  }

  async readCoco(root: string, file: string): Promise<ReadMask[]> {
    const full = path.join(root, file);
    if ((await stat(full)).size > MAX_COCO_BYTES) {
      throw new MaskImportError(`${file} is larger than ${MAX_COCO_BYTES} bytes: split it`);
    }
    let coco: unknown;
    try {
      coco = JSON.parse(await readFile(full, 'utf8'));
    } catch (error) {
      throw new MaskImportError(`${file} is not JSON (${(error as Error).message})`);
    }
    const { images, annotations, categories } = coco as Record<string, unknown>;
    if (!Array.isArray(images) || !Array.isArray(annotations)) {
      throw new MaskImportError(`${file} is not a COCO file: it needs "images" and "annotations" lists`);
    }
    const categoryName = new Map<unknown, string>();
    if (Array.isArray(categories)) {
      for (const category of categories as { id?: unknown; name?: unknown }[]) {
        if (category && typeof category.name === 'string') categoryName.set(category.id, category.name);
      }
    }
    const byImage = new Map<unknown, Record<string, unknown>[]>();
    for (const [i, annotation] of (annotations as Record<string, unknown>[]).entries()) {
      if (!annotation || typeof annotation !== 'object')
        throw new MaskImportError(`${file}: annotations[${i}] is not an object`);
      const list = byImage.get(annotation.image_id);
      if (list) list.push(annotation);
      else byImage.set(annotation.image_id, [annotation]);
    }
    const known = new Set((images as { id?: unknown }[]).map((image) => image?.id));
    for (const imageId of byImage.keys()) {
      if (!known.has(imageId)) {
        throw new MaskImportError(
          `${file}: annotations name image_id ${JSON.stringify(imageId)}, which "images" lacks`,
        );
      }
    }
    // Images without annotations are left alone: tools list every image, annotated or not.
    const annotated = (images as Record<string, unknown>[]).filter((image) => byImage.has(image.id));
    const masks: ReadMask[] = [];
    for (const [i, entry] of annotated.entries()) {
      this.#progress(i, annotated.length);
      const fileName = entry.file_name;
      if (typeof fileName !== 'string' || fileName === '') {
        throw new MaskImportError(`${file}: image ${JSON.stringify(entry.id)} has no file_name`);
      }
      const from = `${file}: image "${fileName}"`;
      const own = byImage.get(entry.id)!;
      const defectTypes = [...new Set(own.flatMap((a) => categoryName.get(a.category_id) ?? []))];
      const key = maskFileKey(fileName);
      const image = this.#find(from, key, defectTypes);
      if (
        (entry.width !== undefined && entry.width !== image.width) ||
        (entry.height !== undefined && entry.height !== image.height)
      ) {
        throw new MaskImportError(
          `${from} is ${String(entry.width)} x ${String(entry.height)}; the image ${image.name} is ` +
            `${image.width} x ${image.height}`,
        );
      }
      const mask = new Uint8Array(image.width * image.height);
      for (const annotation of own) {
        let part: Uint8Array;
        try {
          part = segmentationMask(annotation.segmentation, image.width, image.height);
        } catch (error) {
          if (!(error instanceof RleError)) throw error;
          throw new MaskImportError(`${from}, annotation ${JSON.stringify(annotation.id)}: ${error.message}`);
        }
        for (let p = 0; p < mask.length; p++) mask[p] = mask[p]! | part[p]!;
      }
      masks.push(await this.#store(image, from, mask));
    }
    if (masks.length === 0) throw new MaskImportError(`${file} has no annotations`);
    return masks;
  }
}

/**
 * One COCO segmentation as a row-major 0/1 mask of the image's size: compressed RLE (a counts string),
 * uncompressed RLE (a counts list) or polygons (a list of flat x, y lists, united), as pycocotools' annToRLE reads
 * them. An RLE of another size than the image is refused.
 */
export function segmentationMask(segmentation: unknown, width: number, height: number): Uint8Array {
  if (Array.isArray(segmentation)) {
    if (segmentation.length === 0) throw new RleError('the segmentation is an empty list of polygons');
    const mask = new Uint8Array(width * height);
    for (const polygon of segmentation) {
      if (!Array.isArray(polygon) || !polygon.every((value) => typeof value === 'number')) {
        throw new RleError('a polygon segmentation must be a list of [x1, y1, x2, y2, ...] lists');
      }
      const part = decodeRle(polygonRle(polygon as number[], width, height));
      for (let p = 0; p < mask.length; p++) mask[p] = mask[p]! | part[p]!;
    }
    return mask;
  }
  if (!segmentation || typeof segmentation !== 'object') {
    throw new RleError('the segmentation is neither RLE ({ size, counts }) nor a list of polygons');
  }
  const { size, counts } = segmentation as { size?: unknown; counts?: unknown };
  if (!Array.isArray(size) || size.length !== 2 || !size.every((value) => Number.isInteger(value))) {
    throw new RleError('an RLE segmentation needs size: [height, width]');
  }
  const [h, w] = size as [number, number];
  if (h !== height || w !== width) {
    throw new RleError(`its RLE is ${w} x ${h} (size [${h}, ${w}]); the image is ${width} x ${height}`);
  }
  let rle: Rle;
  if (typeof counts === 'string') rle = { size: [h, w], counts: countsFromString(counts) };
  else if (Array.isArray(counts) && counts.every((value) => typeof value === 'number')) {
    rle = { size: [h, w], counts: counts as number[] };
  } else throw new RleError('RLE counts must be a string (compressed) or a list of numbers');
  return decodeRle(rle);
}

/**
 * Adds every version in one transaction: each image's version counter moves on by one (a row lock, so that a
 * saveMask started from the old version gets CONFLICT), the versions are written with their source and this
 * import, approved ones get the import's approval as a review, the upload is consumed, the file lease given up
 * and the job ended, or none of it.
 */
async function saveVersions(
  context: WorkerContext,
  row: MaskImport,
  masks: ReadMask[],
  claim: UploadClaim,
  files: FileLease,
  job: TrackedJob,
  format: MaskImportFormat,
): Promise<{ maskId: string }[]> {
  const status = row.approve ? 'APPROVED' : 'SUBMITTED';
  const imageIds = masks.map((mask) => mask.imageId);
  const maskIds = masks.map(() => randomUUID());
  await context.prisma.$transaction(
    async (tx) => {
      const moved = await tx.$queryRaw<{ id: string; maskVersion: number }[]>`
        UPDATE "Image" AS i
        SET "maskVersion" = i."maskVersion" + 1, "currentMaskId" = v.mask_id, "maskStatus" = ${status}::"MaskStatus"
        FROM unnest(${imageIds}::uuid[], ${maskIds}::uuid[]) AS v(image_id, mask_id)
        WHERE i.id = v.image_id AND i."datasetId" = ${row.datasetId}::uuid
        RETURNING i.id::text AS id, i."maskVersion" AS "maskVersion"`;
      if (moved.length !== masks.length) {
        throw new MaskImportError(`${masks.length - moved.length} of the images were deleted while this import ran`);
      }
      const versionOf = new Map(moved.map((image) => [image.id, image.maskVersion]));
      await tx.mask.createMany({
        data: masks.map((mask, i) => ({
          id: maskIds[i],
          imageId: mask.imageId,
          datasetId: row.datasetId,
          version: versionOf.get(mask.imageId)!,
          authorId: row.createdById,
          source: 'MASK_IMPORT' as const,
          status,
          contentHash: mask.contentHash,
          width: mask.width,
          height: mask.height,
          defectPixels: mask.defectPixels,
          maskImportId: row.id,
        })),
      });
      if (row.approve) {
        await tx.maskReview.createMany({
          data: maskIds.map((maskId) => ({
            maskId,
            reviewerId: row.createdById,
            decision: 'APPROVE' as const,
            comment: `approved on import (importMasks ${row.id}, ${row.fileName})`,
          })),
        });
      }
      await claim.consume(tx);
      await files.commit(tx);
      if (!(await job.succeed({ maskCount: masks.length, format }, tx))) {
        throw new Error('another worker took this import over');
      }
    },
    { timeout: 120_000 },
  );
  return maskIds.map((maskId) => ({ maskId }));
}
