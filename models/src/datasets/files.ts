import { readdir, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';

import { DatasetError } from './types';

/** Extensions the readers decode: sharp reads PNG, JPEG and TIFF; BMP goes through our own decoder. */
export const IMAGE_EXTENSIONS: ReadonlySet<string> = new Set(['.png', '.jpg', '.jpeg', '.bmp', '.tif', '.tiff']);

export function isImageFile(name: string): boolean {
  return IMAGE_EXTENSIONS.has(extname(name).toLowerCase());
}

/** File name without its extension: `003.png` -> `003`. */
export function stem(path: string): string {
  const name = basename(path);
  return name.slice(0, name.length - extname(name).length);
}

/** Numeric-aware and locale-fixed, so `2.png` sorts before `10.png` on every machine. */
export function compareNames(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

export async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

export interface FolderListing {
  /** Absolute paths of the image files, sorted by name. */
  images: string[];
  /** Sorted names of the subfolders. */
  folders: string[];
  /** Names of other visible files (hidden files such as .DS_Store are skipped silently). */
  otherFiles: string[];
}

export async function listFolder(dir: string): Promise<FolderListing> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    throw new DatasetError(`cannot read folder (${(error as NodeJS.ErrnoException).code ?? String(error)})`, dir);
  }
  const images: string[] = [];
  const folders: string[] = [];
  const otherFiles: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    if (entry.isDirectory()) folders.push(entry.name);
    else if (isImageFile(entry.name)) images.push(join(dir, entry.name));
    else otherFiles.push(entry.name);
  }
  images.sort((a, b) => compareNames(basename(a), basename(b)));
  folders.sort(compareNames);
  otherFiles.sort(compareNames);
  return { images, folders, otherFiles };
}

/**
 * Maps an image's stem to its mask file, accepting both `<name>_mask.<ext>` (MVTec AD) and `<name>.<ext>`
 * (BTAD, MVTec 3D-AD, plain folders). Two files claiming the same image is an error: guessing would
 * silently evaluate against the wrong ground truth.
 */
export function indexMasks(maskFiles: readonly string[]): Map<string, string> {
  const byStem = new Map<string, string>();
  for (const file of maskFiles) {
    const name = stem(file);
    const key = name.endsWith('_mask') ? name.slice(0, -'_mask'.length) : name;
    const previous = byStem.get(key);
    if (previous !== undefined) {
      throw new DatasetError(`two masks for image "${key}": ${basename(previous)} and ${basename(file)}`, file);
    }
    byStem.set(key, file);
  }
  return byStem;
}

/** Formats a list for a warning without flooding it: the first few names, then a count. */
export function summarizeNames(names: readonly string[], shown = 5): string {
  if (names.length <= shown) return names.join(', ');
  return `${names.slice(0, shown).join(', ')} and ${names.length - shown} more`;
}
