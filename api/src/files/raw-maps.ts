import { encodeFloatTiff, encodeNpy, resizeMapBilinear } from '@vad/models';

import type { ScoreMapData } from './score-map';

/** Content types of the raw forms of a map. */
export const RAW_MAP_TYPES = { tiff: 'image/tiff', npy: 'application/octet-stream' } as const;

/**
 * A stored map's values at the image's own resolution (bilinear, as the pipeline upsamples maps to evaluate
 * them), as a float32 TIFF (MVTec AD's evaluation layout) or a NumPy .npy file: raw values, not normalised.
 */
export function rawMapFile(map: ScoreMapData, width: number, height: number, format: 'tiff' | 'npy'): Buffer {
  const full = { width, height, data: rawMapValues(map, width, height) };
  return format === 'tiff' ? encodeFloatTiff(full) : encodeNpy(full);
}

/** A stored map's values at `width` x `height` (the image's resolution), as evaluation upsamples them. */
export function rawMapValues(map: ScoreMapData, width: number, height: number): Float32Array {
  return resizeMapBilinear(map.data, map.width, map.height, width, height);
}
