import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { Dataset, DatasetSample } from '../../src/datasets';
import { holdBackNormals, splitTestSet } from '../../src/datasets/split';

function sample(id: string, split: 'train' | 'test', defectType: string): DatasetSample {
  return {
    id,
    split,
    label: defectType === 'good' ? 'normal' : 'anomalous',
    defectType,
    source: { kind: 'file', path: `/nowhere/${id}.png` },
    width: 8,
    height: 8,
    channels: 1,
  };
}

/** 20 training images; test: 11 good, 7 crack, 4 spot. */
function dataset(): Dataset {
  const samples: DatasetSample[] = [];
  for (let i = 0; i < 20; i++) samples.push(sample(`train/good/${i}`, 'train', 'good'));
  for (const [defect, count] of [
    ['good', 11],
    ['crack', 7],
    ['spot', 4],
  ] as const)
    for (let i = 0; i < count; i++) samples.push(sample(`test/${defect}/${i}`, 'test', defect));
  return {
    name: 'toy',
    layout: 'mvtec',
    category: 'toy',
    root: null,
    samples,
    defectTypes: ['crack', 'spot'],
    channels: 1,
    warnings: [],
  };
}

const ids = (samples: readonly DatasetSample[]): string[] => samples.map((s) => s.id).sort();

describe('splitTestSet', () => {
  it('splits every defect type in halves, the odd image to the selection half', () => {
    const split = splitTestSet(dataset(), 3);
    const count = (samples: readonly DatasetSample[], defect: string): number =>
      samples.filter((s) => s.defectType === defect).length;
    assert.deepEqual(
      ['good', 'crack', 'spot'].map((d) => [count(split.selection, d), count(split.report, d)]),
      [
        [6, 5],
        [4, 3],
        [2, 2],
      ],
    );
  });

  it('gives disjoint halves that cover the test set and never a training image', () => {
    const split = splitTestSet(dataset(), 3);
    const selection = new Set(split.selection.map((s) => s.id));
    assert.ok(split.report.every((s) => !selection.has(s.id)));
    const all = dataset()
      .samples.filter((s) => s.split === 'test')
      .map((s) => s.id)
      .sort();
    assert.deepEqual(ids([...split.selection, ...split.report]), all);
  });

  it('is the same for the same seed and differs for another', () => {
    assert.deepEqual(ids(splitTestSet(dataset(), 3).selection), ids(splitTestSet(dataset(), 3).selection));
    assert.notDeepEqual(ids(splitTestSet(dataset(), 3).selection), ids(splitTestSet(dataset(), 4).selection));
  });
});

describe('holdBackNormals', () => {
  it('takes seeded training images out of training and leaves the test set alone', () => {
    const { training, heldBack } = holdBackNormals(dataset(), 5, 1);
    assert.equal(heldBack.length, 5);
    assert.ok(heldBack.every((s) => s.split === 'train'));
    const kept = new Set(training.samples.map((s) => s.id));
    assert.ok(heldBack.every((s) => !kept.has(s.id)));
    assert.equal(training.samples.filter((s) => s.split === 'train').length, 15);
    assert.equal(training.samples.filter((s) => s.split === 'test').length, 22);
    assert.deepEqual(ids(holdBackNormals(dataset(), 5, 1).heldBack), ids(heldBack));
  });

  it('refuses to hold back so many that fewer than 2 remain to train on', () => {
    assert.throws(() => holdBackNormals(dataset(), 19, 1), /holdBack must be an integer in 1\.\.18/);
  });
});
