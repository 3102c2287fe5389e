import { basename, join, relative, resolve } from 'node:path';

import { buildFolderDataset } from './folder-dataset';
import type { FolderEntry } from './folder-dataset';
import { indexMasks, isDirectory, listFolder, stem, summarizeNames } from './files';
import { DatasetError, NORMAL_DEFECT_TYPE } from './types';
import type { Dataset } from './types';

/**
 * The MVTec AD layout, which BTAD, MVTec 3D-AD (RGB part) and the project's copies of Magnetic Tile Defect and
 * KolektorSDD share:
 *
 *   train/good/*                      normal training images (BTAD: train/ok)
 *   test/good/*, test/<defect>/*      normal and anomalous test images (BTAD: test/ok, test/ko)
 *   ground_truth/<defect>/<name>_mask.<ext> or <name>.<ext>   masks (BTAD names them like the image)
 *   MVTec 3D-AD: each class folder holds rgb/ (images), gt/ (masks) and xyz/ (depth, not read)
 */

const NORMAL_FOLDER_NAMES: readonly string[] = [NORMAL_DEFECT_TYPE, 'ok'];

interface ClassFolder {
  images: string[];
  /** MVTec 3D-AD keeps the masks beside the images, in gt/. */
  maskDir: string | null;
}

async function readClassFolder(dir: string, root: string, warnings: string[]): Promise<ClassFolder> {
  const listing = await listFolder(dir);
  if (listing.folders.includes('rgb')) {
    const rgb = await listFolder(join(dir, 'rgb'));
    return { images: rgb.images, maskDir: listing.folders.includes('gt') ? join(dir, 'gt') : null };
  }
  const ignored = [...listing.folders.map((name) => `${name}/`), ...listing.otherFiles];
  if (ignored.length > 0)
    warnings.push(`${relative(root, dir)}: ignored what is not an image: ${summarizeNames(ignored)}`);
  return { images: listing.images, maskDir: null };
}

export async function loadMvtec(folder: string): Promise<Dataset> {
  const root = resolve(folder);
  if (!(await isDirectory(root))) throw new DatasetError('not a folder', root);
  const warnings: string[] = [];
  const top = await listFolder(root);

  const train = top.folders.includes('train') ? await listFolder(join(root, 'train')) : null;
  const normalTrainName = NORMAL_FOLDER_NAMES.find((name) => train?.folders.includes(name) === true);
  if (train === null || normalTrainName === undefined) {
    throw new DatasetError(
      'missing train/good: the MVTec AD layout needs its normal training images in train/good',
      root,
    );
  }
  const extraTrain = train.folders.filter((name) => name !== normalTrainName);
  if (extraTrain.length > 0) {
    warnings.push(
      `train/: ignored ${summarizeNames(extraTrain)}: training reads normal images (train/${normalTrainName}) only`,
    );
  }

  const entries: FolderEntry[] = [];
  const trainDir = join(root, 'train', normalTrainName);
  const trainImages = await readClassFolder(trainDir, root, warnings);
  if (trainImages.images.length === 0) throw new DatasetError('no images in the normal training folder', trainDir);
  for (const path of trainImages.images) {
    entries.push({
      id: `train/${normalTrainName}/${stem(path)}`,
      split: 'train',
      label: 'normal',
      defectType: NORMAL_DEFECT_TYPE,
      path,
    });
  }

  if (top.folders.includes('validation')) {
    warnings.push('validation/ (MVTec 3D-AD) is not read: train/ is used for training and test/ for evaluation');
  }

  const groundTruthDir = join(root, 'ground_truth');
  const groundTruthFolders = top.folders.includes('ground_truth') ? (await listFolder(groundTruthDir)).folders : [];
  if (!top.folders.includes('test')) {
    warnings.push('no test/ folder: the dataset can be trained on but not evaluated');
  } else {
    const testDir = join(root, 'test');
    const testFolders = (await listFolder(testDir)).folders;
    for (const name of testFolders) {
      const classDir = join(testDir, name);
      const folder = await readClassFolder(classDir, root, warnings);
      if (folder.images.length === 0) warnings.push(`test/${name} holds no images`);
      if (NORMAL_FOLDER_NAMES.includes(name)) {
        for (const path of folder.images) {
          entries.push({
            id: `test/${name}/${stem(path)}`,
            split: 'test',
            label: 'normal',
            defectType: NORMAL_DEFECT_TYPE,
            path,
          });
        }
        continue;
      }
      const maskDir = folder.maskDir ?? (groundTruthFolders.includes(name) ? join(groundTruthDir, name) : null);
      const masks = maskDir === null ? new Map<string, string>() : indexMasks((await listFolder(maskDir)).images);
      const withoutMask: string[] = [];
      for (const path of folder.images) {
        const maskPath = masks.get(stem(path));
        masks.delete(stem(path));
        if (maskPath === undefined) withoutMask.push(basename(path));
        entries.push({
          id: `test/${name}/${stem(path)}`,
          split: 'test',
          label: 'anomalous',
          defectType: name,
          path,
          ...(maskPath === undefined ? {} : { maskPath }),
        });
      }
      if (withoutMask.length > 0) {
        warnings.push(
          `test/${name}: ${withoutMask.length} anomalous images have no mask (${summarizeNames(withoutMask)}): ` +
            'they count for image-level metrics only',
        );
      }
      if (maskDir !== null && masks.size > 0) {
        warnings.push(
          `${relative(root, maskDir)}: ${masks.size} masks match no image (${summarizeNames([...masks.values()].map((path) => basename(path)))})`,
        );
      }
    }
    const orphanTruth = groundTruthFolders.filter((name) => !testFolders.includes(name));
    if (orphanTruth.length > 0) warnings.push(`ground_truth/: no test folder for ${summarizeNames(orphanTruth)}`);
  }

  const category = basename(root);
  return buildFolderDataset(entries, { name: category, layout: 'mvtec', category, root, warnings });
}
