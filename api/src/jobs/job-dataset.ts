import type { PrismaClient } from '@prisma/client';
import { NORMAL_DEFECT_TYPE, type ChannelCount, type Dataset, type DatasetSample } from '@vad/models';

import type { FileStore } from '../files/store';

export interface JobDataset {
  dataset: Dataset;
  /** How runs name the data in their config: a resumed run must train on the same dataset. */
  data: string;
  /** The approved mask versions the ground truth is made of. */
  maskIds: string[];
  /** Images left out: unlabeled ones, and anomalous training images (training is on normal images only). */
  skipped: number;
}

/**
 * A platform dataset as the pipeline takes it: one sample per usable image, its id the image's id, its pixels
 * and mask read from the file store. The ground truth is each anomalous test image's latest APPROVED mask, read
 * now: a later evaluation reads the masks of then.
 */
export async function loadJobDataset(prisma: PrismaClient, store: FileStore, datasetId: string): Promise<JobDataset> {
  const row = await prisma.dataset.findUniqueOrThrow({ where: { id: datasetId }, select: { name: true } });
  const images = await prisma.image.findMany({
    where: { datasetId },
    select: {
      id: true,
      split: true,
      label: true,
      defectType: true,
      contentHash: true,
      width: true,
      height: true,
      channels: true,
    },
    orderBy: [{ split: 'asc' }, { defectType: 'asc' }, { name: 'asc' }],
  });
  const masks = await prisma.mask.findMany({
    where: { datasetId, status: 'APPROVED', image: { label: 'ANOMALOUS', split: 'TEST' } },
    orderBy: { version: 'desc' },
    select: { id: true, imageId: true, contentHash: true },
  });
  const approved = new Map<string, { id: string; contentHash: string }>();
  for (const mask of masks) if (!approved.has(mask.imageId)) approved.set(mask.imageId, mask);

  const samples: DatasetSample[] = [];
  const maskIds: string[] = [];
  for (const image of images) {
    const usable = image.label === 'NORMAL' || (image.label === 'ANOMALOUS' && image.split === 'TEST');
    if (!usable) continue;
    const normal = image.label === 'NORMAL';
    const mask = approved.get(image.id);
    if (mask) maskIds.push(mask.id);
    samples.push({
      id: image.id,
      split: image.split === 'TRAIN' ? 'train' : 'test',
      label: normal ? 'normal' : 'anomalous',
      // An anomalous image imported as `good` would count as normal in per-defect tables.
      defectType: normal
        ? NORMAL_DEFECT_TYPE
        : image.defectType === NORMAL_DEFECT_TYPE
          ? 'anomalous'
          : image.defectType,
      source: { kind: 'file', path: store.pathOf(image.contentHash) },
      ...(mask ? { mask: { kind: 'file' as const, path: store.pathOf(mask.contentHash) } } : {}),
      width: image.width,
      height: image.height,
      channels: image.channels === 3 ? 3 : 1,
    });
  }
  const defectTypes = [
    ...new Set(samples.filter((sample) => sample.label === 'anomalous').map((sample) => sample.defectType)),
  ].sort();
  const channels: ChannelCount = samples.some((sample) => sample.channels === 3) ? 3 : 1;
  return {
    dataset: {
      name: row.name,
      layout: 'records',
      category: row.name,
      root: null,
      samples,
      defectTypes,
      channels,
      warnings: [],
    },
    data: `dataset:${datasetId}`,
    maskIds,
    skipped: images.length - samples.length,
  };
}
