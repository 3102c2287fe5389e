// Score maps in the browser: the API serves every map type of a run (attention, residual, SSIM...) as an
// inferno-coloured PNG on the run's value range of that type; reading the colours back gives the map's 0-255 level
// at each pixel, which the viewer re-colours (any colour map), thresholds and outlines. Pure functions on typed
// arrays, tested without a browser.

/** Inferno at nine stops, as api/src/files/render.ts colours maps (interpolated to 256 levels the same way). */
const INFERNO_STOPS: readonly (readonly [number, number, number])[] = [
  [0, 0, 4],
  [31, 12, 72],
  [85, 15, 109],
  [136, 34, 106],
  [186, 54, 85],
  [227, 89, 51],
  [249, 140, 10],
  [249, 201, 50],
  [252, 255, 164],
];

const VIRIDIS_STOPS: readonly (readonly [number, number, number])[] = [
  [68, 1, 84],
  [72, 40, 120],
  [62, 74, 137],
  [49, 104, 142],
  [38, 130, 142],
  [31, 158, 137],
  [53, 183, 121],
  [109, 205, 89],
  [180, 222, 44],
  [253, 231, 37],
];

const JET_STOPS: readonly (readonly [number, number, number])[] = [
  [0, 0, 143],
  [0, 0, 255],
  [0, 127, 255],
  [0, 255, 255],
  [127, 255, 127],
  [255, 255, 0],
  [255, 127, 0],
  [255, 0, 0],
  [127, 0, 0],
];

const GRAY_STOPS: readonly (readonly [number, number, number])[] = [
  [0, 0, 0],
  [255, 255, 255],
];

/** A 256-entry RGB table interpolated between evenly spaced stops. */
function lut(stops: readonly (readonly [number, number, number])[]): Uint8Array {
  const table = new Uint8Array(256 * 3);
  for (let i = 0; i < 256; i++) {
    const position = (i / 255) * (stops.length - 1);
    const low = Math.floor(position);
    const high = Math.min(low + 1, stops.length - 1);
    const t = position - low;
    for (let c = 0; c < 3; c++) {
      table[i * 3 + c] = Math.round(stops[low]![c]! * (1 - t) + stops[high]![c]! * t);
    }
  }
  return table;
}

export const COLOUR_MAPS = {
  inferno: lut(INFERNO_STOPS),
  viridis: lut(VIRIDIS_STOPS),
  jet: lut(JET_STOPS),
  gray: lut(GRAY_STOPS),
} as const;

export type ColourMapName = keyof typeof COLOUR_MAPS;

/** The level (0-255) whose inferno colour is nearest to each RGBA pixel. */
export function levelsFromInferno(rgba: Uint8ClampedArray | Uint8Array, pixels: number): Uint8Array {
  const table = COLOUR_MAPS.inferno;
  const cache = new Map<number, number>();
  const levels = new Uint8Array(pixels);
  for (let i = 0; i < pixels; i++) {
    const r = rgba[i * 4]!;
    const g = rgba[i * 4 + 1]!;
    const b = rgba[i * 4 + 2]!;
    const key = (r << 16) | (g << 8) | b;
    let level = cache.get(key);
    if (level === undefined) {
      let best = Infinity;
      level = 0;
      for (let candidate = 0; candidate < 256; candidate++) {
        const dr = table[candidate * 3]! - r;
        const dg = table[candidate * 3 + 1]! - g;
        const db = table[candidate * 3 + 2]! - b;
        const distance = dr * dr + dg * dg + db * db;
        if (distance < best) {
          best = distance;
          level = candidate;
        }
      }
      cache.set(key, level);
    }
    levels[i] = level;
  }
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
  map: ColourMapName,
  target: Uint8ClampedArray,
  options: { alphaByLevel: boolean } = { alphaByLevel: true },
): void {
  const table = COLOUR_MAPS[map];
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
