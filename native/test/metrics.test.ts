import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import {
  type AurocResult,
  type GroundTruthMask,
  type ScoreMap,
  aupro,
  bestIou,
  evaluatePixels,
  f1Max,
  imageAuroc,
  pixelAuroc,
  pixelF1Max,
} from '../lib/metrics';
import {
  type RocReference,
  type RocRequest,
  bruteForceBest,
  confusionAt,
  f1Of,
  iouOf,
  pool,
  pythonReference,
  randomMap,
  randomRectanglesMask,
} from './fixtures/metrics-reference';
import { randomGenerator } from './support';

interface ImageCase {
  name: string;
  scores: Float32Array;
  labels: Uint8Array;
}

function imageCase(name: string, count: number, seed: number, score: (anomalous: boolean) => number): ImageCase {
  const random = randomGenerator(seed);
  const labels = new Uint8Array(count);
  const scores = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    labels[i] = random() < 0.3 ? 1 : 0;
    scores[i] = score(labels[i] === 1);
  }
  return { name, scores, labels };
}

const imageCases: ImageCase[] = (() => {
  const random = randomGenerator(11);
  const fiveLevels = [-0, 0, 0.25, 0.5, 1];
  return [
    imageCase('random scores', 500, 1, (anomalous) => random() + (anomalous ? 0.4 : 0)),
    // Five distinct values (-0 ties with 0) over 1000 images: almost every score is a tie across the classes.
    imageCase('heavily tied scores', 1000, 2, (anomalous) => {
      const level = Math.min(4, Math.floor(random() * 4 + (anomalous ? 1.2 : 0)));
      return fiveLevels[level] as number;
    }),
    imageCase('one score for all', 50, 3, () => 0.5),
    imageCase('negative scores', 300, 4, (anomalous) => -100 * random() + (anomalous ? 30 : 0)),
  ];
})();

interface PixelCase {
  name: string;
  maps: ScoreMap[];
  masks: GroundTruthMask[];
}

function pixelCase(name: string, seed: number, sizes: [number, number][], levels?: number): PixelCase {
  const random = randomGenerator(seed);
  const masks = sizes.map(([width, height]) => randomRectanglesMask(random, width, height, 3));
  const maps = masks.map((mask) => randomMap(random, mask, { signal: 0.5, ...(levels ? { levels } : {}) }));
  return { name, maps, masks };
}

// Variable sizes, including an image with an empty mask.
const pixelCases: PixelCase[] = [
  pixelCase('continuous scores', 21, [
    [16, 16],
    [24, 8],
    [32, 20],
    [7, 13],
  ]),
  pixelCase(
    'scores on 12 levels',
    22,
    [
      [16, 16],
      [40, 12],
      [9, 31],
    ],
    12,
  ),
];
pixelCases[0]?.masks[3]?.data.fill(0);

function assertClose(actual: number, expected: number, tolerance: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual} vs ${expected} (tolerance ${tolerance})`);
}

function assertCurveMatchesScikitLearn(actual: AurocResult, reference: RocReference): void {
  const { fpr, tpr, thresholds } = actual.curve;
  assert.equal(fpr.length, reference.fpr.length, 'curve length');
  assert.equal(thresholds[0], Infinity);
  assert.deepEqual(Array.from(thresholds.subarray(1)), reference.thresholds);
  fpr.forEach((value, i) => assertClose(value, reference.fpr[i] as number, 1e-12, `fpr[${i}]`));
  tpr.forEach((value, i) => assertClose(value, reference.tpr[i] as number, 1e-12, `tpr[${i}]`));
}

describe('AUROC against scikit-learn', () => {
  let imageReferences: RocReference[] = [];
  let pixelReferences: RocReference[] = [];

  before(async () => {
    const pooled = pixelCases.map((c) => pool(c.maps, c.masks));
    const requests: RocRequest[] = [
      ...imageCases.map((c) => ({ scores: Array.from(c.scores), labels: Array.from(c.labels) })),
      ...pooled,
    ];
    const { roc } = await pythonReference({ roc: requests });
    imageReferences = roc.slice(0, imageCases.length);
    pixelReferences = roc.slice(imageCases.length);
  });

  for (const [i, c] of imageCases.entries()) {
    test(`image AUROC and ROC curve: ${c.name}`, async () => {
      const result = await imageAuroc(c.scores, c.labels);
      const reference = imageReferences[i] as RocReference;
      assertClose(result.auroc, reference.auroc, 1e-9, 'AUROC');
      assertCurveMatchesScikitLearn(result, reference);
    });
  }

  for (const [i, c] of pixelCases.entries()) {
    test(`pixel AUROC pooled over images of different sizes: ${c.name}`, async () => {
      const result = await pixelAuroc(c.maps, c.masks);
      const reference = pixelReferences[i] as RocReference;
      assertClose(result.auroc, reference.auroc, 1e-9, 'AUROC');
      assertCurveMatchesScikitLearn(result, reference);
    });
  }

  test('the ties case really is tied across classes, and the tie counts one half', async () => {
    const { scores, labels } = imageCases[1] as ImageCase;
    assert.equal(new Set(scores).size, 4);
    const tiedAcross = [...new Set(scores)].filter((s) =>
      [0, 1].every((label) => scores.some((score, i) => score === s && labels[i] === label)),
    );
    assert.ok(tiedAcross.length >= 3);
    // One score for everyone: every pair is a tie, so AUROC is exactly one half.
    const allEqual = imageCases[2] as ImageCase;
    assert.equal((await imageAuroc(allEqual.scores, allEqual.labels)).auroc, 0.5);
  });
});

describe('ROC curve thinning', () => {
  const random = randomGenerator(31);
  const masks = [randomRectanglesMask(random, 100, 100, 6), randomRectanglesMask(random, 80, 120, 6)];
  const maps = masks.map((mask) => randomMap(random, mask, { signal: 0.3 }));
  const samples = pool(maps, masks);

  test('a curve longer than maxCurvePoints is cut to at most that many exact points, AUROC unchanged', async () => {
    const full = await pixelAuroc(maps, masks);
    assert.ok(full.curve.fpr.length > 1000, `the full curve has ${full.curve.fpr.length} points`);
    for (const maxCurvePoints of [2, 3, 50, 500]) {
      const thinned = await pixelAuroc(maps, masks, { maxCurvePoints });
      const { fpr, tpr, thresholds } = thinned.curve;
      assert.equal(thinned.auroc, full.auroc);
      assert.ok(fpr.length <= maxCurvePoints, `${fpr.length} points for maxCurvePoints ${maxCurvePoints}`);
      assert.ok(fpr.length >= Math.min(maxCurvePoints, 3) - 1);
      assert.deepEqual([fpr[0], tpr[0], thresholds[0]], [0, 0, Infinity]);
      assert.deepEqual([fpr[fpr.length - 1], tpr[tpr.length - 1]], [1, 1]);
      for (let i = 1; i < fpr.length; i++) {
        const c = confusionAt(samples, thresholds[i] as number);
        assert.equal(fpr[i], c.falsePositives / c.normal, `fpr at threshold ${thresholds[i]}`);
        assert.equal(tpr[i], c.truePositives / c.anomalous, `tpr at threshold ${thresholds[i]}`);
        assert.ok((thresholds[i] as number) < (thresholds[i - 1] as number));
      }
    }
    // Evenly spread: every dropped point lies within 2 / (500 - 2) (x + y) past the last point kept before it.
    const thinned = (await pixelAuroc(maps, masks, { maxCurvePoints: 500 })).curve;
    const thinnedIndex = new Map(Array.from(thinned.thresholds, (threshold, i) => [threshold, i]));
    let lastKept = 0;
    full.curve.thresholds.forEach((threshold, i) => {
      const kept = thinnedIndex.get(threshold);
      if (kept !== undefined) {
        lastKept = kept;
        return;
      }
      const distance =
        (full.curve.fpr[i] as number) -
        (thinned.fpr[lastKept] as number) +
        (full.curve.tpr[i] as number) -
        (thinned.tpr[lastKept] as number);
      assert.ok(distance < 2 / 498 + 1e-12, `point ${i} is ${distance} from the last kept point`);
    });
  });
});

describe('F1-max and best IoU against brute force over every threshold', () => {
  for (const c of imageCases) {
    test(`image F1-max: ${c.name}`, async () => {
      const samples = { scores: Array.from(c.scores), labels: Array.from(c.labels) };
      const expected = bruteForceBest(samples, f1Of);
      const result = await f1Max(c.scores, c.labels);
      assert.equal(result.f1, expected.value);
      assert.equal(result.threshold, expected.threshold);
      const { truePositives, falsePositives, anomalous } = expected.confusion;
      assert.equal(result.precision, truePositives / (truePositives + falsePositives));
      assert.equal(result.recall, truePositives / anomalous);
    });
  }

  for (const c of pixelCases) {
    test(`pixel F1-max and best IoU: ${c.name}`, async () => {
      const samples = pool(c.maps, c.masks);
      const expectedF1 = bruteForceBest(samples, f1Of);
      const expectedIou = bruteForceBest(samples, iouOf);
      const f1 = await pixelF1Max(c.maps, c.masks);
      assert.equal(f1.f1, expectedF1.value);
      assert.equal(f1.threshold, expectedF1.threshold);
      const iou = await bestIou(c.maps, c.masks);
      assert.equal(iou.iou, expectedIou.value);
      assert.equal(iou.threshold, expectedIou.threshold);
    });
  }

  test('a hand-made case: F1 and IoU peak at different thresholds', async () => {
    // Sorted: 0.9 A, 0.8 N, 0.7 A, 0.6 A, 0.5 N, 0.4 N, 0.3 A. P = 4.
    // >= 0.9: F1 2/5, IoU 1/4; >= 0.7: 4/7, 2/5; >= 0.6: 6/8, 3/5; >= 0.3: 8/11, 4/7.
    const maps: ScoreMap[] = [{ data: Float32Array.from([0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3]), width: 7, height: 1 }];
    const masks: GroundTruthMask[] = [{ data: Uint8Array.from([1, 0, 1, 1, 0, 0, 1]), width: 7, height: 1 }];
    const f1 = await pixelF1Max(maps, masks);
    assert.equal(f1.f1, 6 / 8);
    assert.equal(f1.threshold, Math.fround(0.6));
    assert.equal(f1.precision, 3 / 4);
    assert.equal(f1.recall, 3 / 4);
    const iou = await bestIou(maps, masks);
    assert.equal(iou.iou, 3 / 5);
    assert.equal(iou.threshold, Math.fround(0.6));
  });
});

describe('evaluatePixels', () => {
  test('gives what the single-metric calls give', async () => {
    const c = pixelCases[1] as PixelCase;
    const all = await evaluatePixels(c.maps, c.masks, { maxFpr: 0.2 });
    assert.deepEqual(all.auroc, await pixelAuroc(c.maps, c.masks));
    assert.deepEqual(all.aupro, await aupro(c.maps, c.masks, { maxFpr: 0.2 }));
    assert.deepEqual(all.f1Max, await pixelF1Max(c.maps, c.masks));
    assert.deepEqual(all.bestIou, await bestIou(c.maps, c.masks));
  });
});
