import { mulberry32, shuffled } from './prng';
import { samplesOfSplit } from './types';
import type { Dataset, DatasetSample } from './types';

/** The two halves of a test set: defaults are picked on `selection`, and `report` is only ever reported. */
export interface TestSplit {
  selection: DatasetSample[];
  report: DatasetSample[];
}

/**
 * Splits the test images into a selection half and a report half, seeded and stratified by defect type
 * (normal images included as the `good` stratum), so both halves hold every defect type in the same share.
 * A stratum of odd size gives its extra image to the selection half.
 */
export function splitTestSet(dataset: Dataset, seed: number): TestSplit {
  const test = samplesOfSplit(dataset, 'test');
  const strata = [...new Set(test.map((sample) => sample.defectType))].sort();
  const random = mulberry32(seed);
  const split: TestSplit = { selection: [], report: [] };
  for (const stratum of strata) {
    const members = shuffled(
      test.filter((sample) => sample.defectType === stratum),
      random,
    );
    const half = Math.ceil(members.length / 2);
    split.selection.push(...members.slice(0, half));
    split.report.push(...members.slice(half));
  }
  return split;
}

/**
 * Moves `count` seeded normal training images out of training: the model never sees them, so their maps show
 * what a map looks like on unseen normal images (the statistics that per-pixel normalisation divides out).
 */
export function holdBackNormals(
  dataset: Dataset,
  count: number,
  seed: number,
): { training: Dataset; heldBack: DatasetSample[] } {
  const train = samplesOfSplit(dataset, 'train');
  if (!Number.isInteger(count) || count < 1 || count > train.length - 2) {
    throw new RangeError(
      `holdBack must be an integer in 1..${train.length - 2} (the training set has ${train.length} images), got ${count}`,
    );
  }
  const heldBack = shuffled(train, mulberry32(seed)).slice(0, count);
  const held = new Set(heldBack);
  return { training: { ...dataset, samples: dataset.samples.filter((sample) => !held.has(sample)) }, heldBack };
}
