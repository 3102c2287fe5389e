import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import { type GroundTruthMask, type ScoreMap, aupro } from '../lib/metrics';
import {
  type ProReference,
  type ProRequest,
  mapFromRows,
  maskFromRows,
  pythonReference,
  randomMap,
  randomRectanglesMask,
  toRows,
} from './fixtures/metrics-reference';
import { randomGenerator } from './support';

const MAX_FPRS = [0.3, 0.05, 0.5, 1];

interface ProCase {
  name: string;
  maps: ScoreMap[];
  masks: GroundTruthMask[];
}

/** Two diagonal lines crossing: one region with 8-connectivity, many with 4-connectivity. */
function diagonalMask(size: number): GroundTruthMask {
  const data = new Uint8Array(size * size);
  for (let i = 0; i < size; i++) {
    data[i * size + i] = 1;
    data[i * size + (size - 1 - i)] = 1;
  }
  return { data, width: size, height: size };
}

function proCase(name: string, seed: number, levels?: number): ProCase {
  const random = randomGenerator(seed);
  const masks = [
    randomRectanglesMask(random, 32, 32, 4),
    randomRectanglesMask(random, 20, 12, 3),
    randomRectanglesMask(random, 16, 40, 5),
    diagonalMask(12),
    { data: new Uint8Array(10 * 10), width: 10, height: 10 }, // a normal image: normal pixels only
  ];
  const maps = masks.map((mask) => randomMap(random, mask, { signal: 0.4, ...(levels ? { levels } : {}) }));
  return { name, maps, masks };
}

const cases: ProCase[] = [proCase('continuous scores', 41), proCase('scores on 8 levels', 42, 8)];

function request(c: ProCase, connectivity: 4 | 8): ProRequest {
  return {
    maps: c.maps.map((m) => toRows(m.data, m.width, m.height)),
    masks: c.masks.map((m) => toRows(m.data, m.width, m.height)),
    maxFprs: MAX_FPRS,
    connectivity,
  };
}

function assertClose(actual: number, expected: number, tolerance: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual} vs ${expected} (tolerance ${tolerance})`);
}

describe("AUPRO against MVTec AD's compute_pro", () => {
  let eightConnected: ProReference[] = [];
  let fourConnected: ProReference[] = [];

  before(async () => {
    const { pro } = await pythonReference({
      pro: [...cases.map((c) => request(c, 8)), ...cases.map((c) => request(c, 4))],
    });
    eightConnected = pro.slice(0, cases.length);
    fourConnected = pro.slice(cases.length);
  });

  for (const [i, c] of cases.entries()) {
    test(`${c.name}: AUPRO at several maxFpr and the whole PRO curve`, async () => {
      const reference = eightConnected[i] as ProReference;
      for (const [m, maxFpr] of MAX_FPRS.entries()) {
        const result = await aupro(c.maps, c.masks, { maxFpr });
        assert.equal(result.maxFpr, maxFpr);
        assertClose(result.aupro, reference.aupro[m] as number, 1e-9, `AUPRO up to FPR ${maxFpr}`);
      }
      const { curve } = await aupro(c.maps, c.masks);
      // MVTec's curve ends with an extra (1, 1); the native one ends at the lowest score's point.
      assert.equal(curve.fpr.length, reference.fpr.length - 1);
      curve.fpr.forEach((fpr, p) => assertClose(fpr, reference.fpr[p] as number, 1e-12, `fpr[${p}]`));
      curve.pro.forEach((pro, p) => assertClose(pro, reference.pro[p] as number, 1e-9, `pro[${p}]`));
    });

    test(`${c.name}: regions are 8-connected (4-connectivity gives a different AUPRO)`, async () => {
      const eight = eightConnected[i] as ProReference;
      const four = fourConnected[i] as ProReference;
      const result = await aupro(c.maps, c.masks);
      assert.ok(
        Math.abs((eight.aupro[0] as number) - (four.aupro[0] as number)) > 1e-3,
        'the case must tell them apart',
      );
      assertClose(result.aupro, eight.aupro[0] as number, 1e-9, 'AUPRO');
    });
  }
});

describe('AUPRO on hand-computed cases', () => {
  // Image 1 (4x1): region A = 2 pixels; image 2 (3x1): region B = 1 pixel; 4 normal pixels in all.
  // Sorted scores: 0.9 A, 0.8 B, 0.7 N, 0.6 N, 0.5 {A, N}, 0.2 N. PRO = mean over A and B of the covered part:
  // (fpr, pro) = (0, 0), (0, 1/4), (0, 3/4), (1/4, 3/4), (1/2, 3/4), (3/4, 1), (1, 1).
  const maps = [mapFromRows([[0.9, 0.5, 0.7, 0.5]]), mapFromRows([[0.2, 0.8, 0.6]])];
  const masks = [maskFromRows(['##..']), maskFromRows(['.#.'])];

  test('the curve, point by point', async () => {
    const { curve } = await aupro(maps, masks);
    assert.deepEqual(Array.from(curve.fpr), [0, 0, 0, 0.25, 0.5, 0.75, 1]);
    assert.deepEqual(Array.from(curve.pro), [0, 0.25, 0.75, 0.75, 0.75, 1, 1]);
    assert.deepEqual(Array.from(curve.thresholds), [Infinity, ...[0.9, 0.8, 0.7, 0.6, 0.5, 0.2].map(Math.fround)]);
  });

  test('the area, with and without an interpolated end point', async () => {
    // Up to 0.3: 0.25 * 3/4 + 0.05 * 3/4 = 0.225, / 0.3.
    assertClose((await aupro(maps, masks)).aupro, 0.75, 1e-12, 'maxFpr 0.3');
    // Exactly at a curve point.
    assertClose((await aupro(maps, masks, { maxFpr: 0.25 })).aupro, 0.75, 1e-12, 'maxFpr 0.25');
    // Through the sloped segment (1/2, 3/4) -> (3/4, 1): PRO at 0.6 is 0.85; area 0.375 + 0.1 * 0.8 = 0.455.
    assertClose((await aupro(maps, masks, { maxFpr: 0.6 })).aupro, 0.455 / 0.6, 1e-12, 'maxFpr 0.6');
    // Everything: 0.375 + 0.25 * 0.875 + 0.25 = 0.84375.
    assertClose((await aupro(maps, masks, { maxFpr: 1 })).aupro, 0.84375, 1e-12, 'maxFpr 1');
  });

  test('pixels touching only diagonally form one region', async () => {
    // 8-connected: one region of 3 pixels, 2 of them above every normal pixel: PRO 2/3 from FPR 0 on.
    // (4-connectivity would see regions of 2 and 1 pixels, PRO (1 + 0) / 2 = 1/2.)
    const diagonal = [
      mapFromRows([
        [0.9, 0.9, 0.5],
        [0.5, 0.5, 0.1],
      ]),
    ];
    const diagonalMasks = [maskFromRows(['##.', '..#'])];
    assertClose((await aupro(diagonal, diagonalMasks)).aupro, 2 / 3, 1e-12, 'AUPRO');
  });
});
