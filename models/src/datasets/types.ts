/** Typed records shared by every dataset reader and by the pipeline built on top of them. */

export type Split = 'train' | 'test';
export type SampleLabel = 'normal' | 'anomalous';
/** How a dataset was read: a folder layout, the generated Fashion-MNIST protocol, or records a caller built (the API's). */
export type DatasetLayout = 'mvtec' | 'plain-folder' | 'corrupted-fashion-mnist' | 'records';

/** 1 = grayscale, 3 = RGB. Alpha is always dropped: anomaly models see colour only. */
export type ChannelCount = 1 | 3;

/** The defect type every normal sample carries, whatever its folder was called (MVTec `good`, BTAD `ok`, `normal/`). */
export const NORMAL_DEFECT_TYPE = 'good';

/** Decoded 8-bit pixels in row-major, channel-interleaved (H, W, C) order, the order decoders produce. */
export interface RawImage {
  width: number;
  height: number;
  channels: ChannelCount;
  data: Uint8Array;
}

/** A ground-truth mask at some resolution: one byte per pixel, 1 = defective, 0 = not. */
export interface BinaryMask {
  width: number;
  height: number;
  data: Uint8Array;
}

/**
 * Where a sample's pixels come from. Files are decoded lazily (a dataset of thousands of large images is only
 * listed when loaded); in-memory images (Fashion-MNIST) carry their pixels and a name for error messages.
 */
export type ImageSource = { kind: 'file'; path: string } | { kind: 'memory'; name: string; image: RawImage };

export interface DatasetSample {
  /** Unique within its dataset, e.g. `test/crack/003`. */
  id: string;
  split: Split;
  label: SampleLabel;
  /** `good` for normal samples, otherwise the defect's name (folder name, or the planted shape). */
  defectType: string;
  source: ImageSource;
  /**
   * Mask image of an anomalous sample (it may be empty: some real masks are). Absent for normal samples, whose
   * ground truth is all zeros, and for anomalous samples that came without a mask: `hasPixelGroundTruth` tells
   * whether a sample can enter pixel-level metrics.
   */
  mask?: ImageSource;
  /** Original resolution and colour of the stored image (evaluation runs at this resolution). */
  width: number;
  height: number;
  channels: ChannelCount;
}

export interface Dataset {
  name: string;
  layout: DatasetLayout;
  category: string;
  /** Folder the dataset was read from; null for generated datasets. */
  root: string | null;
  samples: DatasetSample[];
  /** Sorted names of the anomalous defect types present in the test split (never includes `good`). */
  defectTypes: string[];
  /** The channel count a model should use by default: 3 if any image is in colour, else 1. */
  channels: ChannelCount;
  /** Problems that did not stop loading (mixed channel counts, anomalies without masks, ignored files). */
  warnings: string[];
}

/** Thrown for every bad input: the message names the file or folder at fault. */
export class DatasetError extends Error {
  readonly file: string | undefined;

  constructor(message: string, file?: string) {
    super(file === undefined ? message : `${file}: ${message}`);
    this.name = 'DatasetError';
    this.file = file;
  }
}

export function samplesOfSplit(dataset: Dataset, split: Split): DatasetSample[] {
  return dataset.samples.filter((sample) => sample.split === split);
}

/** Normal samples have an implicit all-zero mask; anomalous ones need a mask to enter pixel-level metrics. */
export function hasPixelGroundTruth(sample: DatasetSample): boolean {
  return sample.label === 'normal' || sample.mask !== undefined;
}

export function describeSource(source: ImageSource): string {
  return source.kind === 'file' ? source.path : source.name;
}
