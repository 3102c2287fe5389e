import { mkdir, rm, symlink } from 'node:fs/promises';
import path from 'node:path';

import type { PrismaClient } from '@prisma/client';

import type { FileStore } from '../files/store';

export interface DatasetFolder {
  folder: string;
  /** The approved mask versions the folder's ground truth is made of. */
  maskIds: string[];
  /** Images left out: unlabeled ones, and anomalous training images (training is on normal images only). */
  skipped: number;
}

const EXTENSION: Record<string, string> = { 'image/png': 'png', 'image/jpeg': 'jpg' };

/** Folder names from defect types, which come from folder names but must never climb out. */
function segment(name: string): string {
  const cleaned = name.replace(/[/\\]/g, '-').replace(/^\.+$/, '_');
  return cleaned === '' ? '_' : cleaned;
}

/**
 * Lays a dataset out as the pipeline reads it (MVTec AD layout) with links to the stored files:
 * train/good/<imageId>.<ext>, test/<defect>/<imageId>.<ext>, ground_truth/<defect>/<imageId>_mask.png. File
 * names are image ids, so every explained sample maps back to its image. The ground truth is each anomalous
 * test image's latest APPROVED mask, read now: a later evaluation re-lays the folder with the masks of then.
 */
export async function layOutDataset(
  prisma: PrismaClient,
  store: FileStore,
  datasetId: string,
  folder: string,
): Promise<DatasetFolder> {
  await rm(folder, { recursive: true, force: true });
  await mkdir(folder, { recursive: true });
  const images = await prisma.image.findMany({
    where: { datasetId },
    select: { id: true, split: true, label: true, defectType: true, contentHash: true, mimeType: true },
  });
  const masks = await prisma.mask.findMany({
    where: { datasetId, status: 'APPROVED', image: { label: 'ANOMALOUS', split: 'TEST' } },
    orderBy: { version: 'desc' },
    select: { id: true, imageId: true, contentHash: true },
  });
  const approved = new Map<string, { id: string; contentHash: string }>();
  for (const mask of masks) if (!approved.has(mask.imageId)) approved.set(mask.imageId, mask);

  let skipped = 0;
  const maskIds: string[] = [];
  const made = new Set<string>();
  const link = async (target: string, file: string) => {
    const dir = path.dirname(file);
    if (!made.has(dir)) {
      await mkdir(dir, { recursive: true });
      made.add(dir);
    }
    await symlink(target, file);
  };
  for (const image of images) {
    const usable = image.label === 'NORMAL' || (image.label === 'ANOMALOUS' && image.split === 'TEST');
    if (!usable) {
      skipped++;
      continue;
    }
    const defect =
      image.label === 'NORMAL' ? 'good' : segment(image.defectType === 'good' ? 'anomalous' : image.defectType);
    const split = image.split === 'TRAIN' ? 'train' : 'test';
    const extension = EXTENSION[image.mimeType] ?? 'png';
    await link(store.pathOf(image.contentHash), path.join(folder, split, defect, `${image.id}.${extension}`));
    const mask = approved.get(image.id);
    if (mask) {
      await link(store.pathOf(mask.contentHash), path.join(folder, 'ground_truth', defect, `${image.id}_mask.png`));
      maskIds.push(mask.id);
    }
  }
  return { folder, maskIds, skipped };
}

/** The image an explained sample (`test/<defect>/<imageId>`) came from. */
export function imageIdOfSample(sampleId: string): string {
  return path.basename(sampleId);
}
