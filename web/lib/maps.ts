// Score maps in the browser: the API serves every map type of a run (attention, residual, SSIM...) as grey
// levels (0-255 on the run's value range of that type) and its colour maps as legends; the viewer colours the
// levels in the chosen map, thresholds and outlines them. Pure functions on typed arrays, tested without a browser.

/** The colour of each level 0-255, as 256 RGB triples. */
export type ColourTable = Uint8Array;

/**
 * A colour map's table from its legend as the API serves it (Query.colourMaps: a 256 x 1 image whose pixel x is
 * the colour of level x), given as RGBA pixels.
 */
export function colourTableFromLegend(rgba: Uint8ClampedArray | Uint8Array, width: number): ColourTable {
  if (width !== 256 || rgba.length < 256 * 4) {
    throw new Error(`a colour map legend is 256 pixels wide; this one is ${width}`);
  }
  const table = new Uint8Array(256 * 3);
  for (let level = 0; level < 256; level++) {
    for (let c = 0; c < 3; c++) table[level * 3 + c] = rgba[level * 4 + c]!;
  }
  return table;
}

/** The levels (0-255) of a map served as grey levels (ResultMap.levelsUrl), given as RGBA pixels. */
export function levelsFromGray(rgba: Uint8ClampedArray | Uint8Array, pixels: number): Uint8Array {
  const levels = new Uint8Array(pixels);
  for (let i = 0; i < pixels; i++) levels[i] = rgba[i * 4]!;
  return levels;
}

/** Bilinear resize of a level map (pixel centres aligned, as image resizers do). */
export function resizeLevels(levels: Uint8Array, width: number, height: number, toWidth: number, toHeight: number) {
  if (width === toWidth && height === toHeight) return levels;
  const out = new Uint8Array(toWidth * toHeight);
  const sx = width / toWidth;
  const sy = height / toHeight;
  for (let y = 0; y < toHeight; y++) {
    const fy = Math.min(height - 1, Math.max(0, (y + 0.5) * sy - 0.5));
    const y0 = Math.floor(fy);
    const y1 = Math.min(height - 1, y0 + 1);
    const ty = fy - y0;
    for (let x = 0; x < toWidth; x++) {
      const fx = Math.min(width - 1, Math.max(0, (x + 0.5) * sx - 0.5));
      const x0 = Math.floor(fx);
      const x1 = Math.min(width - 1, x0 + 1);
      const tx = fx - x0;
      const top = levels[y0 * width + x0]! * (1 - tx) + levels[y0 * width + x1]! * tx;
      const bottom = levels[y1 * width + x0]! * (1 - tx) + levels[y1 * width + x1]! * tx;
      out[y * toWidth + x] = Math.round(top * (1 - ty) + bottom * ty);
    }
  }
  return out;
}

/** Nearest-neighbour resize of a binary (0/1) map: masks stay crisp. */
export function resizeBinary(mask: Uint8Array, width: number, height: number, toWidth: number, toHeight: number) {
  if (width === toWidth && height === toHeight) return mask;
  const out = new Uint8Array(toWidth * toHeight);
  for (let y = 0; y < toHeight; y++) {
    const sy = Math.min(height - 1, Math.floor(((y + 0.5) * height) / toHeight));
    for (let x = 0; x < toWidth; x++) {
      const sx = Math.min(width - 1, Math.floor(((x + 0.5) * width) / toWidth));
      out[y * toWidth + x] = mask[sy * width + sx]!;
    }
  }
  return out;
}

/** Paints levels in a colour map into RGBA, with alpha growing with the level (normal areas stay clear). */
export function colourise(
  levels: Uint8Array,
  table: ColourTable,
  target: Uint8ClampedArray,
  options: { alphaByLevel: boolean } = { alphaByLevel: true },
): void {
  for (let i = 0; i < levels.length; i++) {
    const level = levels[i]!;
    target[i * 4] = table[level * 3]!;
    target[i * 4 + 1] = table[level * 3 + 1]!;
    target[i * 4 + 2] = table[level * 3 + 2]!;
    target[i * 4 + 3] = options.alphaByLevel ? level : 255;
  }
}

/** 1 where the level is at least `threshold` (0-255). */
export function thresholdLevels(levels: Uint8Array, threshold: number): Uint8Array {
  const out = new Uint8Array(levels.length);
  for (let i = 0; i < levels.length; i++) out[i] = levels[i]! >= threshold ? 1 : 0;
  return out;
}

/** 1 for pixels of a 0/1 region with a 4-neighbour outside it (or on the image border): the region's contour. */
export function contour(region: Uint8Array, width: number, height: number): Uint8Array {
  const edge = new Uint8Array(region.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (!region[i]) continue;
      if (
        x === 0 ||
        y === 0 ||
        x === width - 1 ||
        y === height - 1 ||
        !region[i - 1] ||
        !region[i + 1] ||
        !region[i - width] ||
        !region[i + width]
      ) {
        edge[i] = 1;
      }
    }
  }
  return edge;
}

/** Grows a 0/1 map by `radius` pixels (square), to draw contours thicker than one pixel. */
export function dilate(map: Uint8Array, width: number, height: number, radius: number): Uint8Array {
  if (radius <= 0) return map;
  const out = new Uint8Array(map.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (!map[y * width + x]) continue;
      for (let dy = -radius; dy <= radius; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= height) continue;
        for (let dx = -radius; dx <= radius; dx++) {
          const xx = x + dx;
          if (xx >= 0 && xx < width) out[yy * width + xx] = 1;
        }
      }
    }
  }
  return out;
}

/** Paints the 1-pixels of `map` in `colour` (opaque) over RGBA. */
export function paint(map: Uint8Array, target: Uint8ClampedArray, colour: readonly [number, number, number]): void {
  for (let i = 0; i < map.length; i++) {
    if (!map[i]) continue;
    target[i * 4] = colour[0];
    target[i * 4 + 1] = colour[1];
    target[i * 4 + 2] = colour[2];
    target[i * 4 + 3] = 255;
  }
}

/** A mask image's pixels as 0/1 (light = defective, as the API stores and reads masks). */
export function binaryFromRgba(rgba: Uint8ClampedArray | Uint8Array, pixels: number): Uint8Array {
  const out = new Uint8Array(pixels);
  for (let i = 0; i < pixels; i++) {
    out[i] = Math.max(rgba[i * 4]!, rgba[i * 4 + 1]!, rgba[i * 4 + 2]!) >= 128 && rgba[i * 4 + 3]! >= 128 ? 1 : 0;
  }
  return out;
}
