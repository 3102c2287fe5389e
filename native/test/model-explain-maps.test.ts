// The element-wise (LayerCAM) gradient maps and the MSGMS map: what sets them apart from Grad-CAM and the
// residual, and MSGMS against a direct transcription of its definition.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { AnomalyModel, type ExplainResult, type ImageArray, type MapKind } from '../lib';
import { auroc, noiseImages, randomGenerator, textures } from './support';

const size = 32;

/** One bright square (value 255) per image, away from the borders; returns the pixel masks. */
function plantBrightSquares(images: ImageArray, side: number, seed: number): Uint8Array {
  const [n, , height, width] = images.shape;
  const next = randomGenerator(seed);
  const masks = new Uint8Array(n * height * width);
  for (let i = 0; i < n; i++) {
    const top = 4 + Math.floor(next() * (height - side - 8));
    const left = 4 + Math.floor(next() * (width - side - 8));
    for (let y = top; y < top + side; y++) {
      for (let x = left; x < left + side; x++) {
        images.data[i * height * width + y * width + x] = 255;
        masks[i * height * width + y * width + x] = 1;
      }
    }
  }
  return masks;
}

function pooled(results: ExplainResult[], kind: MapKind): Float32Array {
  const pixels = results[0]!.maps[kind]!.length;
  const all = new Float32Array(results.length * pixels);
  results.forEach((r, i) => all.set(r.maps[kind]!, i * pixels));
  return all;
}

/** The share of a map's total that falls inside the masks. */
function massInside(map: Float32Array, masks: Uint8Array): number {
  let inside = 0;
  let total = 0;
  for (let p = 0; p < map.length; p++) {
    total += map[p]!;
    if (masks[p]) inside += map[p]!;
  }
  return inside / total;
}

describe('LayerCAM maps', () => {
  it('keep a small defect its own gradient where Grad-CAM averages it away', async (t) => {
    // Untrained: even then the loss's gradient is largest at a bright square the model does not reproduce.
    const model = new AnomalyModel({ channels: 1, imageSize: size, depth: 3, baseChannels: 8, seed: 1 });
    const test = textures(8, size, 2);
    const masks = plantBrightSquares(test, 3, 7);
    const results = await model.explain(test, { maps: ['gradcam_loss', 'layercam_loss'], layer: 'enc1' });
    const gradCam = pooled(results, 'gradcam_loss');
    const layerCam = pooled(results, 'layercam_loss');
    const share = { gradCam: massInside(gradCam, masks), layerCam: massInside(layerCam, masks) };
    const pixelAuroc = { gradCam: auroc(gradCam, masks), layerCam: auroc(layerCam, masks) };
    t.diagnostic(
      `share of the map inside the defects ${JSON.stringify(share)}, pixel AUROC ${JSON.stringify(pixelAuroc)}`,
    );
    assert.ok(share.layerCam > 1.5 * share.gradCam, `LayerCAM ${share.layerCam}, Grad-CAM ${share.gradCam}`);
    assert.ok(pixelAuroc.layerCam > pixelAuroc.gradCam + 0.1, JSON.stringify(pixelAuroc));
  });

  it('give every target, finite and non-negative, and share the backward pass with Grad-CAM', async () => {
    const model = new AnomalyModel({ channels: 3, imageSize: size, depth: 3, baseChannels: 4, seed: 2 });
    const images = noiseImages(3, 3, size, 5);
    const maps: MapKind[] = ['layercam_loss', 'layercam_latent', 'layercam_residual', 'gradcam_loss'];
    const together = await model.explain(images, { maps, layer: 'enc2' });
    const alone = await model.explain(images, { maps: ['layercam_loss'], layer: 'enc2' });
    for (const [i, result] of together.entries()) {
      assert.deepEqual(Object.keys(result.maps), maps);
      for (const kind of maps) {
        const map = result.maps[kind]!;
        assert.equal(map.length, size * size);
        assert.ok(
          map.every((v) => Number.isFinite(v) && v >= 0),
          kind,
        );
      }
      assert.deepEqual(result.maps.layercam_loss, alone[i]!.maps.layercam_loss);
    }
  });

  it('score from a LayerCAM map that is not listed', async () => {
    const model = new AnomalyModel({ channels: 1, imageSize: size, depth: 3, baseChannels: 4, seed: 3 });
    const results = await model.explain(noiseImages(2, 1, size, 6), { maps: ['residual'], scoreMap: 'layercam_loss' });
    for (const result of results) {
      assert.deepEqual(Object.keys(result.maps).sort(), ['layercam_loss', 'residual']);
      assert.equal(result.score, Math.max(...result.maps.layercam_loss!));
    }
  });
});

// MSGMS as core/msgms.h defines it, written out plainly.
function greyLevels(data: ArrayLike<number>, offset: number, channels: number, pixels: number, scale: number) {
  const weights = channels === 1 ? [1] : [0.299, 0.587, 0.114];
  const grey = new Float64Array(pixels);
  for (let c = 0; c < channels; c++) {
    for (let p = 0; p < pixels; p++) grey[p]! += weights[c]! * data[offset + c * pixels + p]! * scale;
  }
  return grey;
}

function halve(image: Float64Array, side: number): Float64Array {
  const half = side / 2;
  const out = new Float64Array(half * half);
  for (let y = 0; y < half; y++) {
    for (let x = 0; x < half; x++) {
      const at = (dy: number, dx: number) => image[(2 * y + dy) * side + 2 * x + dx]!;
      out[y * half + x] = (at(0, 0) + at(0, 1) + at(1, 0) + at(1, 1)) / 4;
    }
  }
  return out;
}

function gradientMagnitude(image: Float64Array, side: number): Float64Array {
  const at = (y: number, x: number) =>
    image[Math.min(side - 1, Math.max(0, y)) * side + Math.min(side - 1, Math.max(0, x))]!;
  const out = new Float64Array(side * side);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      let gx = 0;
      let gy = 0;
      for (let d = -1; d <= 1; d++) {
        gx += (at(y + d, x - 1) - at(y + d, x + 1)) / 3;
        gy += (at(y - 1, x + d) - at(y + 1, x + d)) / 3;
      }
      out[y * side + x] = Math.hypot(gx, gy);
    }
  }
  return out;
}

/** Bilinear, align_corners false, as PyTorch's interpolate. */
function upsample(map: Float64Array, side: number, target: number): Float64Array {
  const source = (i: number) => Math.max(0, ((i + 0.5) * side) / target - 0.5);
  const out = new Float64Array(target * target);
  for (let y = 0; y < target; y++) {
    const sy = source(y);
    const y0 = Math.floor(sy);
    const y1 = Math.min(y0 + 1, side - 1);
    for (let x = 0; x < target; x++) {
      const sx = source(x);
      const x0 = Math.floor(sx);
      const x1 = Math.min(x0 + 1, side - 1);
      const top = map[y0 * side + x0]! * (1 - (sx - x0)) + map[y0 * side + x1]! * (sx - x0);
      const bottom = map[y1 * side + x0]! * (1 - (sx - x0)) + map[y1 * side + x1]! * (sx - x0);
      out[y * target + x] = top * (1 - (sy - y0)) + bottom * (sy - y0);
    }
  }
  return out;
}

function msgmsReference(a: Float64Array, b: Float64Array, side: number): Float64Array {
  const c = 0.0026;
  const sum = new Float64Array(side * side);
  let [x, y, current] = [a, b, side];
  for (let scale = 0; scale < 4; scale++) {
    if (scale > 0) [x, y, current] = [halve(x, current), halve(y, current), current / 2];
    const [gx, gy] = [gradientMagnitude(x, current), gradientMagnitude(y, current)];
    const similarity = gx.map((g, p) => (2 * g * gy[p]! + c) / (g * g + gy[p]! * gy[p]! + c));
    upsample(similarity, current, side).forEach((v, p) => (sum[p]! += v / 4));
  }
  return sum.map((v) => 1 - v);
}

describe('the MSGMS map', () => {
  for (const channels of [1, 3] as const) {
    it(`is 1 - multi-scale gradient magnitude similarity of x and x_hat (${channels} channel${channels > 1 ? 's' : ''})`, async () => {
      const model = new AnomalyModel({ channels, imageSize: size, depth: 3, baseChannels: 4, seed: 4 });
      const images = noiseImages(2, channels, size, 8);
      const results = await model.explain(images, { maps: ['msgms'], batchSize: 1 });
      const pixels = size * size;
      for (const [i, result] of results.entries()) {
        const x = greyLevels(images.data, i * channels * pixels, channels, pixels, 1 / 255);
        const xHat = greyLevels(result.reconstruction, 0, channels, pixels, 1);
        const expected = msgmsReference(xHat, x, size);
        const map = result.maps.msgms!;
        for (let p = 0; p < pixels; p++) assert.ok(Math.abs(map[p]! - expected[p]!) < 1e-4, `pixel ${p}`);
        assert.ok(map.every((v) => v >= -1e-6 && v <= 1 + 1e-6));
        assert.ok(
          msgmsReference(x, x, size).every((v) => Math.abs(v) < 1e-12),
          'identical images give 0',
        );
      }
    });
  }

  it('is larger where an edge differs from the reconstruction', async (t) => {
    // Flat images: the reconstruction's edges are the model's own, the same with and without the square.
    const model = new AnomalyModel({ channels: 1, imageSize: size, depth: 3, baseChannels: 4, seed: 5 });
    const clean: ImageArray = { data: new Uint8Array(4 * size * size).fill(100), shape: [4, 1, size, size] };
    const defective: ImageArray = { data: clean.data.slice(), shape: clean.shape };
    const masks = plantBrightSquares(defective, 4, 9);
    const [before, after] = await Promise.all(
      [clean, defective].map((images) => model.explain(images, { maps: ['msgms'] })),
    );
    const cleanMaps = pooled(before!, 'msgms');
    const rise = pooled(after!, 'msgms').map((v, p) => v - cleanMaps[p]!);
    let insideRise = 0;
    masks.forEach((m, p) => (insideRise += m ? rise[p]! / (4 * 16) : 0));
    t.diagnostic(`rise ${insideRise}, AUROC ${auroc(pooled(after!, 'msgms'), masks)}`);
    assert.ok(insideRise > 0.2, `mean rise of the map inside the squares ${insideRise}`);
    assert.ok(auroc(pooled(after!, 'msgms'), masks) > 0.9);
  });
});
