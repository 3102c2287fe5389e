import { DECODE_CONCURRENCY, mapWithLimit } from './concurrency';
import { decodeImage, decodeMask } from './image-io';
import { DatasetError, describeSource, hasPixelGroundTruth } from './types';
import type { BinaryMask, ChannelCount, DatasetSample } from './types';

export interface PreprocessOptions {
  /** Model input size: every image is resized to it with fit 'fill'. */
  width: number;
  height: number;
  /** Model channels: grayscale images are replicated to 3, colour images converted to luminance for 1. */
  channels: ChannelCount;
  /** Also decode the ground truth at the model size (default true). */
  masks?: boolean;
}

/** Samples decoded for a model: uint8 tensors in (N, C, H, W) order, masks in (N, 1, H, W). */
export interface SampleBatch {
  ids: string[];
  count: number;
  channels: ChannelCount;
  height: number;
  width: number;
  images: Uint8Array;
  /** 0/1 per pixel, resized with nearest neighbour; all zeros for normal samples and for those without a mask. */
  masks: Uint8Array | null;
  /** Whether each sample has pixel-level ground truth (normal, or anomalous with a mask). */
  hasMask: boolean[];
  /** How many images had another channel count than the model's and were converted. */
  converted: number;
}

function checkSize(name: string, value: number): void {
  if (!Number.isInteger(value) || value <= 0) throw new RangeError(`${name} must be a positive integer, got ${value}`);
}

export async function preprocessSamples(
  samples: readonly DatasetSample[],
  options: PreprocessOptions,
): Promise<SampleBatch> {
  const { width, height, channels } = options;
  checkSize('width', width);
  checkSize('height', height);
  const withMasks = options.masks ?? true;
  const plane = width * height;
  const images = new Uint8Array(samples.length * channels * plane);
  const masks = withMasks ? new Uint8Array(samples.length * plane) : null;

  await mapWithLimit(samples, DECODE_CONCURRENCY, async (sample, index) => {
    const image = await decodeImage(sample.source, { width, height, channels });
    // Interleaved (H, W, C) from the decoder to planar (C, H, W) for the model.
    const offset = index * channels * plane;
    for (let c = 0; c < channels; c++) {
      for (let p = 0; p < plane; p++) images[offset + c * plane + p] = image.data[p * channels + c]!;
    }
    if (masks !== null) {
      const truth = await decodeGroundTruth(sample);
      if (truth !== null) masks.set(resizeMaskNearest(truth, width, height).data, index * plane);
    }
  });

  return {
    ids: samples.map((sample) => sample.id),
    count: samples.length,
    channels,
    height,
    width,
    images,
    masks,
    hasMask: samples.map(hasPixelGroundTruth),
    converted: samples.filter((sample) => sample.channels !== channels).length,
  };
}

/**
 * A sample's ground truth at its original resolution (where evaluation happens): the decoded mask, all zeros
 * for a normal sample, or null for an anomalous sample without a mask.
 */
export async function decodeGroundTruth(sample: DatasetSample): Promise<BinaryMask | null> {
  if (sample.mask === undefined) {
    if (sample.label === 'anomalous') return null;
    return { width: sample.width, height: sample.height, data: new Uint8Array(sample.width * sample.height) };
  }
  const mask = await decodeMask(sample.mask);
  if (mask.width !== sample.width || mask.height !== sample.height) {
    throw new DatasetError(
      `mask is ${mask.width} x ${mask.height} but its image ${describeSource(sample.source)} is ${sample.width} x ${sample.height}`,
      describeSource(sample.mask),
    );
  }
  return mask;
}

/**
 * Nearest-neighbour resize that samples each output pixel's centre (PyTorch's 'nearest-exact'), so a mask stays
 * binary and is not shifted by half a pixel. Small defects can vanish when shrinking: that is the cost of a
 * small model size, and evaluation at the original resolution does not suffer it.
 */
export function resizeMaskNearest(mask: BinaryMask, width: number, height: number): BinaryMask {
  checkSize('width', width);
  checkSize('height', height);
  if (mask.width === width && mask.height === height) return { width, height, data: Uint8Array.from(mask.data) };
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const sy = Math.min(mask.height - 1, Math.floor(((y + 0.5) * mask.height) / height));
    for (let x = 0; x < width; x++) {
      const sx = Math.min(mask.width - 1, Math.floor(((x + 0.5) * mask.width) / width));
      data[y * width + x] = mask.data[sy * mask.width + sx]!;
    }
  }
  return { width, height, data };
}

/**
 * Bilinear resize of a float map with half-pixel centres, the convention of PyTorch's
 * interpolate(mode='bilinear', align_corners=False) used by the MVTec AD evaluations.
 */
export function resizeMapBilinear(
  map: Float32Array,
  width: number,
  height: number,
  outWidth: number,
  outHeight: number,
): Float32Array {
  checkSize('width', width);
  checkSize('height', height);
  checkSize('outWidth', outWidth);
  checkSize('outHeight', outHeight);
  if (map.length !== width * height)
    throw new RangeError(`map holds ${map.length} values, ${width} x ${height} needs ${width * height}`);
  const out = new Float32Array(outWidth * outHeight);
  const scaleX = width / outWidth;
  const scaleY = height / outHeight;
  for (let y = 0; y < outHeight; y++) {
    const fy = Math.max(0, (y + 0.5) * scaleY - 0.5);
    const y0 = Math.min(Math.floor(fy), height - 1);
    const y1 = Math.min(y0 + 1, height - 1);
    const wy = fy - y0;
    for (let x = 0; x < outWidth; x++) {
      const fx = Math.max(0, (x + 0.5) * scaleX - 0.5);
      const x0 = Math.min(Math.floor(fx), width - 1);
      const x1 = Math.min(x0 + 1, width - 1);
      const wx = fx - x0;
      const top = map[y0 * width + x0]! * (1 - wx) + map[y0 * width + x1]! * wx;
      const bottom = map[y1 * width + x0]! * (1 - wx) + map[y1 * width + x1]! * wx;
      out[y * outWidth + x] = top * (1 - wy) + bottom * wy;
    }
  }
  return out;
}

/** A map computed at the model size, brought back to the sample's original resolution for evaluation. */
export function upsampleMapToSample(
  map: Float32Array,
  mapWidth: number,
  mapHeight: number,
  sample: Pick<DatasetSample, 'width' | 'height'>,
): Float32Array {
  return resizeMapBilinear(map, mapWidth, mapHeight, sample.width, sample.height);
}
