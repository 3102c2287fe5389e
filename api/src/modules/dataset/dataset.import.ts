import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

import type { DatasetLayout, ImageLabel, Prisma, Split } from '@prisma/client';
import {
  DatasetError,
  DECODE_CONCURRENCY,
  decodeImage,
  decodeMask,
  listFolder,
  loadDataset,
  mapWithLimit,
  readImageInfo,
  stem,
  type Dataset as LoadedDataset,
  type DatasetSample,
  type ImageSource,
} from '@vad/models';
import sharp from 'sharp';

import { BadInputError } from '../../graphql/errors';
import type { FileLease } from '../../files/leases';
import { binaryMaskPng } from '../../files/render';
import { UNLABELED_DEFECT_TYPE } from '../../graphql/enums';

/** What an import produced, ready to be written in one transaction. */
export interface ImportedData {
  layout: DatasetLayout;
  category: string;
  channels: number;
  defectTypes: string[];
  warnings: string[];
  images: Prisma.ImageCreateManyInput[];
  masks: Prisma.MaskCreateManyInput[];
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Browsers and sharp read PNG and JPEG as they are; other formats (BMP, TIFF) are stored as PNG. */
function servableMime(bytes: Buffer): string | null {
  if (bytes.subarray(0, 8).equals(PNG_SIGNATURE)) return 'image/png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  return null;
}

/** The folder the data is in: a zip often wraps everything in one top-level folder. */
async function dataRoot(folder: string): Promise<string> {
  const top = await listFolder(folder);
  if (top.images.length === 0 && top.otherFiles.length === 0 && top.folders.length === 1) {
    const inner = path.join(folder, top.folders[0]!);
    const below = await listFolder(inner);
    const known = ['train', 'test', 'ground_truth', 'normal', 'anomalous', 'masks'];
    if (below.images.length > 0 || below.folders.some((name) => known.includes(name))) return inner;
  }
  return folder;
}

interface Candidate {
  name: string;
  split: Split;
  label: ImageLabel;
  defectType: string;
  source: ImageSource;
  mask?: ImageSource | undefined;
}

const SPLIT: Record<DatasetSample['split'], Split> = { train: 'TRAIN', test: 'TEST' };
const LABEL: Record<DatasetSample['label'], ImageLabel> = { normal: 'NORMAL', anomalous: 'ANOMALOUS' };

async function readLayout(
  root: string,
  shownAs: string,
): Promise<{ layout: DatasetLayout; category: string; candidates: Candidate[]; loaded: LoadedDataset | null }> {
  const top = await listFolder(root);
  if (top.folders.length === 0) {
    if (top.images.length === 0) throw new BadInputError(`${shownAs} holds no images`);
    // A flat folder of images: nothing says which are normal, so they are test images to annotate.
    return {
      layout: 'UNLABELED_FOLDER',
      category: path.basename(root),
      loaded: null,
      candidates: top.images.map((file) => ({
        name: `test/unlabeled/${stem(file)}`,
        split: 'TEST',
        label: 'UNLABELED',
        defectType: UNLABELED_DEFECT_TYPE,
        source: { kind: 'file', path: file },
      })),
    };
  }
  const loaded = await loadDataset(root);
  return {
    layout: loaded.layout === 'mvtec' ? 'MVTEC' : 'PLAIN_FOLDER',
    category: loaded.category,
    loaded,
    candidates: loaded.samples.map((sample) => ({
      name: sample.id,
      split: SPLIT[sample.split],
      label: LABEL[sample.label],
      defectType: sample.defectType,
      source: sample.source,
      mask: sample.mask,
    })),
  };
}

/**
 * Reads a dataset folder with @vad/models' readers, checks every image (decodable, within the pixel limit) and
 * every mask (decodable, the image's size; the folder reader compares their headers before anything is
 * decoded), and stores their bytes in the file store under the import's lease. No rows reach the database
 * here: the caller writes the returned rows in one transaction, which also gives the lease up
 * (FileLease.commit), so a bad file imports nothing.
 */
export async function readDatasetFolder(
  source: {
    path: string;
    /** How messages name the folder (never by its server path): its own name, or the zip's for an upload. */
    shownAs: string;
  },
  datasetId: string,
  files: FileLease,
  maxImagePixels: number,
  /** Called after each image is checked and stored, with how many are and of how many. */
  onImage?: (done: number, total: number) => void,
): Promise<ImportedData> {
  const folder = source.path;
  const inMessages = (message: string) => relativeMessage(message, folder, source.shownAs);
  let root: string;
  let layout: Awaited<ReturnType<typeof readLayout>>;
  try {
    root = await dataRoot(folder);
    layout = await readLayout(root, inMessages(root));
  } catch (error) {
    if (error instanceof DatasetError) throw new BadInputError(inMessages(error.message));
    throw error;
  }
  const { candidates } = layout;
  if (candidates.length === 0) throw new BadInputError(`${source.shownAs} holds no images`);

  let colour = false;
  let stored = 0;
  onImage?.(0, candidates.length);
  const rows = await mapWithLimit(candidates, DECODE_CONCURRENCY, async (candidate) => {
    try {
      const row = await storeCandidate(candidate, datasetId, files, maxImagePixels);
      onImage?.(++stored, candidates.length);
      return row;
    } catch (error) {
      if (error instanceof DatasetError) throw new BadInputError(inMessages(error.message));
      throw error;
    }
  });
  for (const row of rows) colour ||= row.image.channels === 3;
  const images = rows.map((row) => row.image);
  const masks = rows.flatMap((row) => (row.mask ? [row.mask] : []));
  return {
    layout: layout.layout,
    category: layout.category,
    channels: layout.loaded?.channels ?? (colour ? 3 : 1),
    defectTypes: layout.loaded?.defectTypes ?? [],
    warnings: (layout.loaded?.warnings ?? []).map((warning) => inMessages(warning)),
    images,
    masks,
  };
}

/**
 * Messages name files relative to the imported folder, and the folder itself as the user knows it: server paths
 * (an upload's extraction folder above all) are not the client's business.
 */
function relativeMessage(message: string, folder: string, shownAs: string): string {
  const root = path.resolve(folder);
  return message
    .split(root + path.sep)
    .join('')
    .split(root)
    .join(shownAs);
}

async function storeCandidate(
  candidate: Candidate,
  datasetId: string,
  files: FileLease,
  maxImagePixels: number,
): Promise<{ image: Prisma.ImageCreateManyInput; mask: Prisma.MaskCreateManyInput | null }> {
  const where = candidate.source.kind === 'file' ? candidate.source.path : candidate.name;
  const info = await readImageInfo(candidate.source);
  if (info.width * info.height > maxImagePixels) {
    throw new DatasetError(
      `${info.width} x ${info.height} = ${info.width * info.height} pixels, more than the limit of ${maxImagePixels} (VAD_MAX_IMAGE_PIXELS)`,
      where,
    );
  }
  // Decoding the whole image finds truncated and corrupt files now, not in the middle of a run.
  const decoded = await decodeImage(candidate.source);
  let bytes = candidate.source.kind === 'file' ? await readFile(candidate.source.path) : null;
  let mimeType = bytes ? servableMime(bytes) : null;
  if (!bytes || !mimeType) {
    bytes = await sharp(decoded.data, {
      raw: { width: decoded.width, height: decoded.height, channels: decoded.channels },
    })
      .toColourspace(decoded.channels === 1 ? 'b-w' : 'srgb')
      .png()
      .toBuffer();
    mimeType = 'image/png';
  }
  const contentHash = await files.put(bytes);
  const imageId = randomUUID();
  let mask: Prisma.MaskCreateManyInput | null = null;
  if (candidate.mask) {
    const binary = await decodeMask(candidate.mask);
    if (binary.width !== info.width || binary.height !== info.height) {
      const maskWhere = candidate.mask.kind === 'file' ? candidate.mask.path : candidate.name;
      throw new DatasetError(
        `mask is ${binary.width} x ${binary.height}, its image is ${info.width} x ${info.height}`,
        maskWhere,
      );
    }
    const { png, defectPixels } = await binaryMaskPng(binary.width, binary.height, binary.data);
    mask = {
      id: randomUUID(),
      imageId,
      datasetId,
      version: 1,
      source: 'IMPORTED',
      status: 'APPROVED',
      contentHash: await files.put(png),
      width: binary.width,
      height: binary.height,
      defectPixels,
    };
  }
  return {
    image: {
      id: imageId,
      datasetId,
      name: candidate.name,
      split: candidate.split,
      label: candidate.label,
      defectType: candidate.defectType,
      width: info.width,
      height: info.height,
      channels: decoded.channels,
      contentHash,
      mimeType,
      byteSize: bytes.length,
      maskVersion: mask ? 1 : 0,
      currentMaskId: mask ? (mask.id ?? null) : null,
      maskStatus: mask ? 'APPROVED' : null,
    },
    mask,
  };
}
