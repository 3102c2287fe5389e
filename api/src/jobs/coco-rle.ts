/**
 * COCO's run-length encoding of binary masks, as pycocotools writes and reads it (its maskApi.c), so that masks
 * exported here load in pycocotools, detectron2, CVAT or Label Studio, and theirs load here.
 *
 * - Pixels are read in column-major (Fortran) order: down the first column, then the second...
 * - `counts` alternates run lengths of 0s and 1s, starting with 0s (so a mask whose first pixel is set starts
 *   with a 0-length run); the runs add up to height x width. This list is "uncompressed RLE".
 * - Compressed RLE is that list as a string: each count, from the fourth on, is first replaced by its
 *   difference from the count two before it (same-valued runs tend to be alike); each value is then written as
 *   a little-endian run of 5-bit groups of its two's complement, each group in a character 48 + group, with
 *   0x20 added while more groups follow. The last group's bit 0x10 is the sign: reading extends it.
 *   [4, 1, 4] is "414"; [0, 40, 3, 1] is "0X13iN" (40 = 8 + 1 x 32: "X" = 48 + 8 + 32, then "1";
 *   1 - 40 = -39 = 25 + (-2) x 32: "i" = 48 + 25 + 32, then -2's low 5 bits 30 with the sign bit set: "N").
 * - `size` is [height, width].
 */
export interface Rle {
  /** [height, width], as COCO writes it. */
  size: [number, number];
  counts: number[];
}

/** A binary mask (row-major, 1 = defective) as uncompressed RLE. */
export function encodeRle(mask: Uint8Array, width: number, height: number): Rle {
  if (mask.length !== width * height) {
    throw new Error(`a ${width} x ${height} mask needs ${width * height} pixels, got ${mask.length}`);
  }
  const counts: number[] = [];
  let value = 0;
  let run = 0;
  for (let x = 0; x < width; x++) {
    for (let y = 0; y < height; y++) {
      const pixel = mask[y * width + x] ? 1 : 0;
      if (pixel !== value) {
        counts.push(run);
        run = 0;
        value = pixel;
      }
      run++;
    }
  }
  counts.push(run);
  return { size: [height, width], counts };
}

/** Uncompressed RLE back to a row-major binary mask; runs that do not add up to the size are an error. */
export function decodeRle(rle: Rle): Uint8Array {
  const [height, width] = rle.size;
  const total = width * height;
  const mask = new Uint8Array(total);
  let at = 0;
  let value = 0;
  for (const count of rle.counts) {
    if (!Number.isInteger(count) || count < 0) throw new RleError(`a run length is ${count}, not a count`);
    if (at + count > total) throw new RleError(`the runs cover more than the ${height} x ${width} pixels of its size`);
    if (value === 1) {
      for (let i = at; i < at + count; i++) {
        const x = Math.floor(i / height);
        mask[(i - x * height) * width + x] = 1;
      }
    }
    at += count;
    value ^= 1;
  }
  if (at !== total) throw new RleError(`the runs cover ${at} pixels; its size ${height} x ${width} has ${total}`);
  return mask;
}

/** Counts as pycocotools' compressed string (rleToString). */
export function countsToString(counts: readonly number[]): string {
  let text = '';
  for (let i = 0; i < counts.length; i++) {
    let x = counts[i]!;
    if (i > 2) x -= counts[i - 2]!;
    let more = true;
    while (more) {
      // Two's complement low 5 bits and an arithmetic shift, in doubles (counts stay far below 2^53).
      let group = ((x % 32) + 32) % 32;
      x = Math.floor(x / 32);
      more = group & 0x10 ? x !== -1 : x !== 0;
      if (more) group |= 0x20;
      text += String.fromCharCode(group + 48);
    }
  }
  return text;
}

/** pycocotools' compressed string back to counts (rleFrString). */
export function countsFromString(text: string): number[] {
  const counts: number[] = [];
  let p = 0;
  while (p < text.length) {
    let x = 0;
    let k = 0;
    let more = true;
    while (more) {
      if (p >= text.length) throw new RleError('the compressed counts end in the middle of a number');
      const c = text.charCodeAt(p) - 48;
      if (c < 0 || c > 63) throw new RleError(`"${text[p]}" at ${p} is not a character of compressed counts`);
      x += (c & 0x1f) * 2 ** (5 * k);
      more = (c & 0x20) !== 0;
      p++;
      k++;
      if (!more && c & 0x10) x -= 2 ** (5 * k);
      if (k > 10) throw new RleError('a compressed count is longer than any mask needs');
    }
    if (counts.length > 2) x += counts[counts.length - 2]!;
    counts.push(x);
  }
  return counts;
}

/** A segmentation that names no mask COCO knows, or one that does not fit its image. */
export class RleError extends Error {
  override name = 'RleError';
}

/**
 * One polygon (x1, y1, x2, y2... in pixel coordinates, COCO's `segmentation: [[...]]`) rasterised as pycocotools
 * does (rleFrPoly): the outline is walked on a 5x finer grid, and a pixel is inside where the outline crosses
 * its column at or above its centre an odd number of times.
 */
export function polygonRle(xy: readonly number[], width: number, height: number): Rle {
  if (xy.length < 6 || xy.length % 2 !== 0 || !xy.every(Number.isFinite)) {
    throw new RleError('a polygon needs at least 3 points, as a flat list of x, y numbers');
  }
  const scale = 5;
  const k = xy.length / 2;
  // C's (int)(v + .5): truncation toward zero.
  const xs: number[] = [];
  const ys: number[] = [];
  for (let j = 0; j < k; j++) xs.push(Math.trunc(scale * xy[j * 2]! + 0.5));
  for (let j = 0; j < k; j++) ys.push(Math.trunc(scale * xy[j * 2 + 1]! + 0.5));
  xs.push(xs[0]!);
  ys.push(ys[0]!);
  const u: number[] = [];
  const v: number[] = [];
  for (let j = 0; j < k; j++) {
    let x0 = xs[j]!;
    let x1 = xs[j + 1]!;
    let y0 = ys[j]!;
    let y1 = ys[j + 1]!;
    const dx = Math.abs(x1 - x0);
    const dy = Math.abs(y0 - y1);
    const flip = (dx >= dy && x0 > x1) || (dx < dy && y0 > y1);
    if (flip) {
      [x0, x1] = [x1, x0];
      [y0, y1] = [y1, y0];
    }
    const s = dx >= dy ? (y1 - y0) / dx : (x1 - x0) / dy;
    if (dx >= dy) {
      for (let d = 0; d <= dx; d++) {
        const t = flip ? dx - d : d;
        u.push(t + x0);
        v.push(Math.trunc(y0 + s * t + 0.5));
      }
    } else {
      for (let d = 0; d <= dy; d++) {
        const t = flip ? dy - d : d;
        v.push(t + y0);
        u.push(Math.trunc(x0 + s * t + 0.5));
      }
    }
  }
  // The points where the outline changes column, back on the pixel grid.
  const starts: number[] = [];
  for (let j = 1; j < u.length; j++) {
    if (u[j] === u[j - 1]) continue;
    let xd = u[j]! < u[j - 1]! ? u[j]! : u[j]! - 1;
    xd = (xd + 0.5) / scale - 0.5;
    if (Math.floor(xd) !== xd || xd < 0 || xd > width - 1) continue;
    let yd = v[j]! < v[j - 1]! ? v[j]! : v[j - 1]!;
    yd = (yd + 0.5) / scale - 0.5;
    if (yd < 0) yd = 0;
    else if (yd > height) yd = height;
    yd = Math.ceil(yd);
    starts.push(xd * height + yd);
  }
  starts.push(height * width);
  starts.sort((a, b) => a - b);
  let previous = 0;
  const steps = starts.map((at) => {
    const step = at - previous;
    previous = at;
    return step;
  });
  // Zero-length steps cancel: two crossings at one pixel leave it as it was.
  const counts = [steps[0]!];
  for (let j = 1; j < steps.length;) {
    if (steps[j]! > 0) counts.push(steps[j++]!);
    else {
      j++;
      if (j < steps.length) counts[counts.length - 1] = counts.at(-1)! + steps[j++]!;
    }
  }
  return { size: [height, width], counts };
}
