import { safeSegment } from '@vad/models';

/** What naming and matching mask files needs of an image. */
export interface NamedImage {
  id: string;
  /** Unique within its dataset, e.g. `test/crack/003` (the path it was imported from, without extension). */
  name: string;
  split: 'TRAIN' | 'TEST';
  defectType: string;
  width: number;
  height: number;
}

/** Why a file names no image, or more than one. */
export type Unmatched = { problem: 'unknown' } | { problem: 'ambiguous'; candidates: string[] };

const lastSegment = (name: string) => name.slice(name.lastIndexOf('/') + 1);

/** An image name as zip path segments (names come from folders, but a label may hold anything). */
const safePath = (name: string) => name.split('/').map(safeSegment).join('/');

/**
 * Finds the image a mask file is meant for, by the file's name: an exported zip, an MVTec AD folder
 * (`ground_truth/<defect>/<name>_mask.png`), another tool's COCO file (`file_name`: `003.png`, `crack/003.jpg`)
 * or masks named like their images all name their images one way or another. In order:
 * 1. the image of that exact name (`test/crack/003`);
 * 2. the images whose name ends with the key's segments (`crack/003` is `test/crack/003`);
 * 3. the images whose name ends with the key's last segment (`003`), narrowed while more than one is left to those
 *    of a defect type the file names (its folder, COCO categories), then to test images (which masks are for).
 * More than one left is ambiguous: the caller names the file and the candidates, and imports nothing.
 */
export class ImageMatcher {
  readonly #byName = new Map<string, NamedImage>();
  readonly #byLast = new Map<string, NamedImage[]>();

  constructor(images: readonly NamedImage[]) {
    for (const image of images) {
      this.#byName.set(image.name, image);
      const last = lastSegment(image.name);
      const list = this.#byLast.get(last);
      if (list) list.push(image);
      else this.#byLast.set(last, [image]);
    }
  }

  match(key: string, defectTypes: readonly string[] = []): NamedImage | Unmatched {
    const exact = this.#byName.get(key);
    if (exact) return exact;
    const sameLast = this.#byLast.get(lastSegment(key)) ?? [];
    if (key.includes('/')) {
      const bySuffix = sameLast.filter((image) => image.name.endsWith(`/${key}`));
      if (bySuffix.length > 0) return this.#narrow(bySuffix, defectTypes);
    }
    if (sameLast.length === 0) return { problem: 'unknown' };
    const folder = key.includes('/') ? [key.split('/').at(-2)!] : [];
    return this.#narrow(sameLast, [...defectTypes, ...folder]);
  }

  #narrow(candidates: NamedImage[], defectTypes: readonly string[]): NamedImage | Unmatched {
    let left = candidates;
    if (left.length > 1 && defectTypes.length > 0) {
      const named = left.filter(
        (image) => defectTypes.includes(image.defectType) || defectTypes.includes(safeSegment(image.defectType)),
      );
      if (named.length > 0) left = named;
    }
    if (left.length > 1) {
      const test = left.filter((image) => image.split === 'TEST');
      if (test.length > 0) left = test;
    }
    if (left.length === 1) return left[0]!;
    return { problem: 'ambiguous', candidates: left.map((image) => image.name).sort() };
  }
}

export function isUnmatched(found: NamedImage | Unmatched): found is Unmatched {
  return 'problem' in found;
}

/** What a file's name says about the image it is for: `a/ground_truth/crack/003_mask.png` is `crack/003`. */
export function maskFileKey(relativePath: string): string {
  let parts = relativePath
    .replace(/\\/g, '/')
    .split('/')
    .filter((part) => part !== '' && part !== '.');
  const groundTruth = parts.lastIndexOf('ground_truth');
  if (groundTruth >= 0) parts = parts.slice(groundTruth + 1);
  const file = parts.at(-1) ?? '';
  const dot = file.lastIndexOf('.');
  const base = (dot > 0 ? file.slice(0, dot) : file).replace(/_mask$/, '');
  return [...parts.slice(0, -1), base].join('/');
}

/**
 * Where an image's mask goes in the MVTec AD layout: `ground_truth/<defect type>/<name>_mask.png`, as long as that
 * name finds the image again (ImageMatcher); otherwise (two images of one defect type with the same last name
 * segment, such as `train/good/000` and `test/good/000`) under its whole name, `ground_truth/<image name>_mask.png`.
 */
export function mvtecMaskPath(image: NamedImage, matcher: ImageMatcher): string {
  const short = `${safeSegment(image.defectType)}/${safeSegment(lastSegment(image.name))}`;
  const found = matcher.match(short);
  const key = !isUnmatched(found) && found.id === image.id ? short : safePath(image.name);
  return `ground_truth/${key}_mask.png`;
}

/**
 * Where a run's file about an image goes in the MVTec AD evaluation layout, `<category>/test/<defect type>/<name>`;
 * `fallback`, `<category>/<image name>`, for an image whose path another one took.
 */
export function mvtecImagePath(category: string, image: NamedImage): { preferred: string; fallback: string } {
  const top = safeSegment(category);
  return {
    preferred: `${top}/test/${safeSegment(image.defectType)}/${safeSegment(lastSegment(image.name))}`,
    fallback: `${top}/${safePath(image.name)}`,
  };
}

/** The file name of an image in a COCO file: its name with the extension of its stored file. */
export function cocoFileName(image: NamedImage, mimeType: string): string {
  return `${image.name}${mimeType === 'image/jpeg' ? '.jpg' : '.png'}`;
}
