import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import { type GroundTruthMask, type ScoreMap, evaluatePixels, pixelAuroc } from '../lib/metrics';
import { randomGenerator } from './support';

// 40 maps of 500 x 500: 10 million pixels, each with a 100 x 50 defect whose scores run higher.
function largeEvaluationSet(): { maps: ScoreMap[]; masks: GroundTruthMask[]; pixels: number } {
  const random = randomGenerator(7);
  const width = 500;
  const height = 500;
  const maps: ScoreMap[] = [];
  const masks: GroundTruthMask[] = [];
  for (let i = 0; i < 40; i++) {
    const mask = new Uint8Array(width * height);
    const data = new Float32Array(width * height);
    for (let y = 200; y < 250; y++) mask.fill(1, y * width + 100, y * width + 200);
    for (let p = 0; p < data.length; p++) data[p] = random() + (mask[p] ? 0.5 : 0);
    maps.push({ data, width, height });
    masks.push({ data: mask, width, height });
  }
  return { maps, masks, pixels: 40 * width * height };
}

describe('speed on 10 million pixels', () => {
  const { maps, masks, pixels } = largeEvaluationSet();
  // Uniform scores, raised by 0.5 inside the defects: P(anomalous > normal) = 1 - 0.5^2 / 2 = 0.875.
  const expectedAuroc = 0.875;

  // Loading the addon (it links LibTorch) takes most of a second: not the metric's time.
  before(async () => {
    await pixelAuroc(
      [{ data: Float32Array.from([0, 1]), width: 2, height: 1 }],
      [{ data: Uint8Array.from([0, 1]), width: 2, height: 1 }],
    );
  });

  test('pixel AUROC takes well under a few seconds and leaves the event loop free', async () => {
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 1);
    const start = performance.now();
    const result = await pixelAuroc(maps, masks);
    const seconds = (performance.now() - start) / 1000;
    clearInterval(ticker);
    console.log(`pixel AUROC over ${pixels} pixels: ${seconds.toFixed(2)} s, ${result.curve.fpr.length} curve points`);
    assert.ok(Math.abs(result.auroc - expectedAuroc) < 0.002, `AUROC ${result.auroc}`);
    assert.ok(result.curve.fpr.length <= 10_000);
    // Not a benchmark (machines are noisy): only a guard against an accidental quadratic or binned path.
    assert.ok(seconds < 10, `${seconds} s`);
    assert.ok(ticks > 0, 'the event loop ran while the metric was computed');
  });

  test('every pixel metric at once, AUPRO with its regions included', async () => {
    const start = performance.now();
    const result = await evaluatePixels(maps, masks);
    const seconds = (performance.now() - start) / 1000;
    console.log(`all pixel metrics over ${pixels} pixels: ${seconds.toFixed(2)} s`);
    assert.ok(Math.abs(result.auroc.auroc - expectedAuroc) < 0.002);
    // Each defect is one region of uniform scores + 0.5: at FPR f (threshold 1 - f), PRO = 0.5 + f.
    // Mean over [0, 0.3] of 0.5 + f = 0.65.
    assert.ok(Math.abs(result.aupro.aupro - 0.65) < 0.002, `AUPRO ${result.aupro.aupro}`);
    assert.ok(seconds < 20, `${seconds} s`);
  });
});
