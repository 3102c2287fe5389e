import { FASHION_MNIST_CLASSES, FASHION_MNIST_DIR, fashionMnistImage, readFashionMnist } from './fashion-mnist';
import { finishDataset } from './folder-dataset';
import { deriveSeed, mulberry32, randomInt, shuffled } from './prng';
import type { Random } from './prng';
import { NORMAL_DEFECT_TYPE } from './types';
import type { BinaryMask, Dataset, DatasetSample, RawImage } from './types';

/**
 * The corrupted Fashion-MNIST protocol of the original method (models/METHOD.md): one class is normal; training
 * uses that class's training images; the test set holds clean test images of the class and other test images of
 * the class with one planted shape each, whose exact pixels are the ground truth. Also the demo dataset.
 */

export type PlantedShape = 'ellipse' | 'rectangle' | 'triangle';
export const PLANTED_SHAPES: readonly PlantedShape[] = ['ellipse', 'rectangle', 'triangle'];

/**
 * bright: the original protocol, shapes painted at full brightness (255). At the pixel level brightness alone
 *   nearly solves it (pixel AUROC 0.997-0.998, models/METHOD.md), so it cannot tell a map that finds anomalies
 *   from a brightness detector.
 * patch: the shape is filled with a patch of the same image taken from elsewhere (copy-move), so planted pixels
 *   follow the image's own intensity distribution and only their misplacement gives them away.
 */
export type CorruptionVariant = 'bright' | 'patch';
export const CORRUPTION_VARIANTS: readonly CorruptionVariant[] = ['bright', 'patch'];

export const MIN_SHAPE_SIZE = 3;
export const MAX_SHAPE_SIZE = 8;
/** A patch must differ from what it covers by this mean absolute value (a quarter of the range) to be seen. */
export const MIN_PATCH_CONTRAST = 64;
const PLANT_ATTEMPTS = 100;

export interface ShapeSpec {
  shape: PlantedShape;
  /** Bounding box, in pixels. */
  x: number;
  y: number;
  width: number;
  height: number;
  /** Triangle only: the apex's horizontal position across the box (0..1), and whether it points up. */
  apex: number;
  pointsUp: boolean;
}

export function randomShapeSpec(random: Random, imageWidth: number, imageHeight: number): ShapeSpec {
  const shape = PLANTED_SHAPES[randomInt(random, 0, PLANTED_SHAPES.length - 1)]!;
  const width = randomInt(random, MIN_SHAPE_SIZE, MAX_SHAPE_SIZE);
  const height = randomInt(random, MIN_SHAPE_SIZE, MAX_SHAPE_SIZE);
  const x = randomInt(random, 0, imageWidth - width);
  const y = randomInt(random, 0, imageHeight - height);
  return { shape, x, y, width, height, apex: random(), pointsUp: random() < 0.5 };
}

/** The shape's pixels (those whose centre lies inside it) as a mask of the image's size. */
export function rasterizeShape(spec: ShapeSpec, imageWidth: number, imageHeight: number): BinaryMask {
  const data = new Uint8Array(imageWidth * imageHeight);
  const cx = spec.x + spec.width / 2;
  const cy = spec.y + spec.height / 2;
  // Triangle corners: apex on one horizontal side of the box, base along the opposite side.
  const apexX = spec.x + spec.apex * spec.width;
  const apexY = spec.pointsUp ? spec.y : spec.y + spec.height;
  const baseY = spec.pointsUp ? spec.y + spec.height : spec.y;
  const corners: [number, number][] = [
    [apexX, apexY],
    [spec.x, baseY],
    [spec.x + spec.width, baseY],
  ];
  for (let py = spec.y; py < spec.y + spec.height; py++) {
    for (let px = spec.x; px < spec.x + spec.width; px++) {
      const x = px + 0.5;
      const y = py + 0.5;
      let inside: boolean;
      if (spec.shape === 'rectangle') inside = true;
      else if (spec.shape === 'ellipse')
        inside = ((x - cx) / (spec.width / 2)) ** 2 + ((y - cy) / (spec.height / 2)) ** 2 <= 1;
      else inside = insideTriangle(x, y, corners);
      if (inside && px >= 0 && py >= 0 && px < imageWidth && py < imageHeight) data[py * imageWidth + px] = 1;
    }
  }
  return { width: imageWidth, height: imageHeight, data };
}

function insideTriangle(x: number, y: number, corners: [number, number][]): boolean {
  let positive = false;
  let negative = false;
  for (let i = 0; i < 3; i++) {
    const [ax, ay] = corners[i]!;
    const [bx, by] = corners[(i + 1) % 3]!;
    const cross = (bx - ax) * (y - ay) - (by - ay) * (x - ax);
    if (cross > 0) positive = true;
    if (cross < 0) negative = true;
  }
  return !(positive && negative);
}

export interface PlantedDefect {
  image: RawImage;
  /** Exactly the pixels the shape covers (some may keep their value if it happened to match). */
  mask: BinaryMask;
  spec: ShapeSpec;
  /** Mean absolute change over the mask's pixels. */
  contrast: number;
}

/**
 * Plants one random shape in a copy of a grayscale image. Draws are repeated (up to 100 times) until the
 * shape is visible: any change for `bright`, a mean change of MIN_PATCH_CONTRAST for `patch`; if none
 * qualifies the most visible draw is kept, so every call returns a defect.
 */
export function plantDefect(clean: RawImage, random: Random, variant: CorruptionVariant): PlantedDefect {
  if (clean.channels !== 1) throw new Error(`plantDefect needs a grayscale image, got ${clean.channels} channels`);
  if (clean.width < MAX_SHAPE_SIZE || clean.height < MAX_SHAPE_SIZE) {
    throw new Error(
      `plantDefect needs an image of at least ${MAX_SHAPE_SIZE} x ${MAX_SHAPE_SIZE}, got ${clean.width} x ${clean.height}`,
    );
  }
  const visible = (contrast: number): boolean => (variant === 'bright' ? contrast > 0 : contrast >= MIN_PATCH_CONTRAST);
  let best = drawDefect(clean, random, variant);
  for (let attempt = 1; attempt < PLANT_ATTEMPTS && !visible(best.contrast); attempt++) {
    const candidate = drawDefect(clean, random, variant);
    if (candidate.contrast > best.contrast) best = candidate;
  }
  return best;
}

function drawDefect(clean: RawImage, random: Random, variant: CorruptionVariant): PlantedDefect {
  const { width, height } = clean;
  const spec = randomShapeSpec(random, width, height);
  const mask = rasterizeShape(spec, width, height);
  const data = Uint8Array.from(clean.data);
  // The patch variant copies the shape's pixels from a box elsewhere in the same (clean) image.
  const sourceX = randomInt(random, 0, width - spec.width);
  const sourceY = randomInt(random, 0, height - spec.height);
  let change = 0;
  let count = 0;
  for (let y = spec.y; y < spec.y + spec.height; y++) {
    for (let x = spec.x; x < spec.x + spec.width; x++) {
      const at = y * width + x;
      if (mask.data[at] === 0) continue;
      const value = variant === 'bright' ? 255 : clean.data[(sourceY + y - spec.y) * width + (sourceX + x - spec.x)]!;
      change += Math.abs(value - clean.data[at]!);
      count++;
      data[at] = value;
    }
  }
  return { image: { width, height, channels: 1, data }, mask, spec, contrast: count === 0 ? 0 : change / count };
}

export interface CorruptedFashionMnistOptions {
  /** The normal class, 0-9 (FASHION_MNIST_CLASSES). */
  normalClass: number;
  /** Training images of the class to use (default: all 6000), a seeded random pick. */
  trainCount?: number;
  /** Clean and corrupted test images (default 500 and 500, as originally); disjoint picks of the class's 1000. */
  testNormalCount?: number;
  testAnomalousCount?: number;
  seed?: number;
  variant?: CorruptionVariant;
  /** Folder of the IDX files (default: Debian's dataset-fashion-mnist location). */
  dataDir?: string;
}

export async function loadCorruptedFashionMnist(options: CorruptedFashionMnistOptions): Promise<Dataset> {
  const { normalClass } = options;
  const seed = options.seed ?? 0;
  const variant = options.variant ?? 'bright';
  const className = FASHION_MNIST_CLASSES[normalClass];
  if (!Number.isInteger(normalClass) || className === undefined) {
    throw new RangeError(
      `normalClass must be an integer 0-9 (${FASHION_MNIST_CLASSES.join(', ')}), got ${normalClass}`,
    );
  }
  if (!CORRUPTION_VARIANTS.includes(variant))
    throw new RangeError(`variant must be one of ${CORRUPTION_VARIANTS.join(', ')}, got ${variant}`);
  if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);

  const dir = options.dataDir ?? FASHION_MNIST_DIR;
  const train = await readFashionMnist('train', dir);
  const test = await readFashionMnist('test', dir);
  const trainPool = indicesOfClass(train.labels, normalClass);
  const testPool = indicesOfClass(test.labels, normalClass);

  const trainCount = checkCount('trainCount', options.trainCount ?? trainPool.length, trainPool.length);
  const testNormalCount = checkCount('testNormalCount', options.testNormalCount ?? 500, testPool.length);
  const testAnomalousCount = checkCount(
    'testAnomalousCount',
    options.testAnomalousCount ?? 500,
    testPool.length - testNormalCount,
  );

  const trainPick = shuffled(trainPool, mulberry32(deriveSeed(seed, 1)))
    .slice(0, trainCount)
    .sort((a, b) => a - b);
  const testOrder = shuffled(testPool, mulberry32(deriveSeed(seed, 2)));
  const testNormalPick = testOrder.slice(0, testNormalCount).sort((a, b) => a - b);
  const testAnomalousPick = testOrder
    .slice(testNormalCount, testNormalCount + testAnomalousCount)
    .sort((a, b) => a - b);

  const samples: DatasetSample[] = [];
  for (const index of trainPick) samples.push(cleanSample('train', index, fashionMnistImage(train, index)));
  for (const index of testNormalPick) samples.push(cleanSample('test', index, fashionMnistImage(test, index)));
  for (const index of testAnomalousPick) {
    // Each image has its own stream, so a defect depends only on (seed, image), not on the counts asked for.
    const planted = plantDefect(fashionMnistImage(test, index), mulberry32(deriveSeed(seed, 3, index)), variant);
    const id = `test/${planted.spec.shape}/${padIndex(index)}`;
    samples.push({
      id,
      split: 'test',
      label: 'anomalous',
      defectType: planted.spec.shape,
      source: {
        kind: 'memory',
        name: `fashion-mnist test image ${index} (${variant} ${planted.spec.shape})`,
        image: planted.image,
      },
      mask: { kind: 'memory', name: `fashion-mnist test image ${index} mask`, image: maskToImage(planted.mask) },
      width: test.width,
      height: test.height,
      channels: 1,
    });
  }
  return finishDataset(samples, {
    name: `corrupted-fashion-mnist-${variant}`,
    layout: 'corrupted-fashion-mnist',
    category: className,
    root: null,
    warnings: [],
  });
}

function indicesOfClass(labels: Uint8Array, label: number): number[] {
  const out: number[] = [];
  labels.forEach((value, index) => {
    if (value === label) out.push(index);
  });
  return out;
}

function checkCount(name: string, value: number, available: number): number {
  if (!Number.isInteger(value) || value < 0 || value > available) {
    throw new RangeError(`${name} must be an integer in 0..${available} (what the class has left), got ${value}`);
  }
  return value;
}

function padIndex(index: number): string {
  return index.toString().padStart(5, '0');
}

function cleanSample(split: 'train' | 'test', index: number, image: RawImage): DatasetSample {
  return {
    id: `${split}/${NORMAL_DEFECT_TYPE}/${padIndex(index)}`,
    split,
    label: 'normal',
    defectType: NORMAL_DEFECT_TYPE,
    source: { kind: 'memory', name: `fashion-mnist ${split} image ${index}`, image },
    width: image.width,
    height: image.height,
    channels: 1,
  };
}

/** Masks travel as 0/255 grayscale images so that they decode through the same path as mask files. */
function maskToImage(mask: BinaryMask): RawImage {
  return {
    width: mask.width,
    height: mask.height,
    channels: 1,
    data: mask.data.map((value) => (value === 1 ? 255 : 0)),
  };
}
