import { join, resolve } from 'node:path';

import { isDirectory, listFolder, summarizeNames } from './files';
import { loadMvtec } from './mvtec';
import { loadPlainFolder } from './plain-folder';
import type { PlainFolderOptions } from './plain-folder';
import { DatasetError } from './types';
import type { Dataset } from './types';

export type FolderLayout = 'mvtec' | 'plain-folder';

/**
 * Tells the folder layouts apart by their top-level folders: train/ is MVTec AD (and its relatives),
 * normal/ is the plain layout. A folder of MVTec categories gets an error listing them, since the
 * readers load one category at a time.
 */
export async function detectLayout(folder: string): Promise<FolderLayout> {
  const root = resolve(folder);
  if (!(await isDirectory(root))) throw new DatasetError('not a folder (or it does not exist)', root);
  const top = await listFolder(root);
  if (top.folders.includes('train')) return 'mvtec';
  if (top.folders.includes('normal')) return 'plain-folder';
  if (top.folders.length === 0 && top.images.length === 0)
    throw new DatasetError('empty folder: no images, no dataset', root);
  const categories: string[] = [];
  for (const name of top.folders) {
    if (await isDirectory(join(root, name, 'train'))) categories.push(name);
  }
  if (categories.length > 0) {
    throw new DatasetError(
      `holds ${categories.length} MVTec-style categories (${summarizeNames(categories, 20)}): load one of them`,
      root,
    );
  }
  throw new DatasetError(
    'unrecognised layout: expected train/good + test/<defect> + ground_truth/<defect> (MVTec AD) ' +
      'or normal/ with optional anomalous/ and masks/ (plain folder)',
    root,
  );
}

export type LoadDatasetOptions = PlainFolderOptions;

export async function loadDataset(folder: string, options: LoadDatasetOptions = {}): Promise<Dataset> {
  const layout = await detectLayout(folder);
  return layout === 'mvtec' ? loadMvtec(folder) : loadPlainFolder(folder, options);
}
