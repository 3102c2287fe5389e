import { basename, join, resolve } from 'node:path';

import { buildFolderDataset } from './folder-dataset';
import type { FolderEntry } from './folder-dataset';
import { indexMasks, isDirectory, listFolder, stem, summarizeNames } from './files';
import { mulberry32, shuffled } from './prng';
import { DatasetError, NORMAL_DEFECT_TYPE } from './types';
import type { Dataset } from './types';

/**
 * The simplest layout a user can make by hand:
 *
 *   normal/*      defect-free images (training, and a held-out share for testing)
 *   anomalous/*   optional: defective images
 *   masks/*       optional: masks for anomalous images, named like the image (`<name>.<ext>` or `<name>_mask.<ext>`)
 */

export const PLAIN_ANOMALOUS_DEFECT_TYPE = 'anomalous';

export interface PlainFolderOptions {
  /**
   * Share of normal/ held out as normal test images (a seeded random pick). Defaults to 0.2 when anomalous/
   * exists, because image-level metrics need normal test images, and to 0 otherwise (train on everything).
   */
  normalTestFraction?: number;
  seed?: number;
}

export async function loadPlainFolder(folder: string, options: PlainFolderOptions = {}): Promise<Dataset> {
  const root = resolve(folder);
  if (!(await isDirectory(root))) throw new DatasetError('not a folder', root);
  const top = await listFolder(root);
  if (!top.folders.includes('normal')) {
    throw new DatasetError('missing normal/: the plain layout needs its defect-free images in normal/', root);
  }
  const warnings: string[] = [];
  const unknown = top.folders.filter((name) => !['normal', 'anomalous', 'masks'].includes(name));
  if (unknown.length > 0)
    warnings.push(`ignored folders: ${summarizeNames(unknown)} (expected normal/, anomalous/, masks/)`);

  const normalDir = join(root, 'normal');
  const normal = await listFolder(normalDir);
  if (normal.images.length === 0) throw new DatasetError('no images in normal/', normalDir);
  reportIgnored('normal', normal, warnings);

  const hasAnomalous = top.folders.includes('anomalous');
  const anomalous = hasAnomalous ? await listFolder(join(root, 'anomalous')) : null;
  if (anomalous !== null) {
    if (anomalous.images.length === 0) warnings.push('anomalous/ holds no images');
    reportIgnored('anomalous', anomalous, warnings);
  }

  const fraction = options.normalTestFraction ?? (hasAnomalous ? 0.2 : 0);
  if (!(fraction >= 0 && fraction < 1))
    throw new DatasetError(`normalTestFraction must be in [0, 1), got ${fraction}`, root);
  const heldOut = Math.round(normal.images.length * fraction);
  if (heldOut >= normal.images.length) {
    throw new DatasetError(
      `normalTestFraction ${fraction} leaves no training images out of ${normal.images.length}`,
      normalDir,
    );
  }
  const testNormal = new Set(shuffled(normal.images, mulberry32(options.seed ?? 0)).slice(0, heldOut));

  const entries: FolderEntry[] = normal.images.map((path) => {
    const split = testNormal.has(path) ? 'test' : 'train';
    return { id: `${split}/normal/${stem(path)}`, split, label: 'normal', defectType: NORMAL_DEFECT_TYPE, path };
  });

  const masks = top.folders.includes('masks')
    ? indexMasks((await listFolder(join(root, 'masks'))).images)
    : new Map<string, string>();
  if (masks.size > 0 && anomalous === null) warnings.push('masks/ is ignored: there is no anomalous/ folder');
  const withoutMask: string[] = [];
  for (const path of anomalous?.images ?? []) {
    const maskPath = masks.get(stem(path));
    masks.delete(stem(path));
    if (maskPath === undefined) withoutMask.push(basename(path));
    entries.push({
      id: `test/anomalous/${stem(path)}`,
      split: 'test',
      label: 'anomalous',
      defectType: PLAIN_ANOMALOUS_DEFECT_TYPE,
      path,
      ...(maskPath === undefined ? {} : { maskPath }),
    });
  }
  if (withoutMask.length > 0 && top.folders.includes('masks')) {
    warnings.push(
      `masks/: no mask for ${withoutMask.length} anomalous images (${summarizeNames(withoutMask)}): they count for image-level metrics only`,
    );
  }
  if (masks.size > 0 && anomalous !== null) {
    warnings.push(
      `masks/: ${masks.size} masks match no anomalous image (${summarizeNames([...masks.values()].map((path) => basename(path)))})`,
    );
  }

  const category = basename(root);
  return buildFolderDataset(entries, { name: category, layout: 'plain-folder', category, root, warnings });
}

function reportIgnored(folder: string, listing: { folders: string[]; otherFiles: string[] }, warnings: string[]): void {
  const ignored = [...listing.folders.map((name) => `${name}/`), ...listing.otherFiles];
  if (ignored.length > 0) warnings.push(`${folder}/: ignored what is not an image: ${summarizeNames(ignored)}`);
}
