import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import sharp from 'sharp';

import { heatmapPng } from '../../../api/src/files/render';
import {
  binaryFromRgba,
  colourise,
  contour,
  dilate,
  levelsFromInferno,
  resizeBinary,
  resizeLevels,
  thresholdLevels,
} from '../../lib/maps';

async function rgbaOf(png: Buffer): Promise<Uint8Array> {
  return new Uint8Array(await sharp(png).ensureAlpha().raw().toBuffer());
}

describe('reading levels back from the API’s coloured maps', () => {
  it('recovers every level 0-255 exactly from a map the API coloured', async () => {
    const ramp = Float32Array.from({ length: 256 }, (_, index) => index);
    const png = await heatmapPng({ width: 256, height: 1, data: ramp }, [0, 255]);
    const levels = levelsFromInferno(await rgbaOf(png), 256);
    assert.deepEqual([...levels], [...ramp]);
  });
});

describe('map geometry', () => {
  it('resizes levels bilinearly with centres aligned (a constant stays constant, a step blends)', () => {
    assert.deepEqual([...resizeLevels(new Uint8Array([7, 7, 7, 7]), 2, 2, 4, 4)], new Array(16).fill(7));
    const row = resizeLevels(new Uint8Array([0, 200]), 2, 1, 4, 1);
    assert.deepEqual([...row], [0, 50, 150, 200]);
  });

  it('resizes masks with nearest neighbours, so they stay binary', () => {
    const mask = resizeBinary(new Uint8Array([1, 0, 0, 1]), 2, 2, 4, 4);
    assert.deepEqual([...mask], [1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 1, 1, 0, 0, 1, 1]);
  });

  it('outlines a region with the pixels that touch its outside', () => {
    const size = 5;
    const square = new Uint8Array(size * size);
    for (let y = 1; y <= 3; y++) for (let x = 1; x <= 3; x++) square[y * size + x] = 1;
    const edge = contour(square, size, size);
    assert.equal(edge[2 * size + 2], 0, 'the centre is inside');
    assert.equal(
      [...edge].reduce((sum, value) => sum + value, 0),
      8,
      'the ring of 8 around it',
    );
    assert.equal([...dilate(new Uint8Array([0, 0, 1, 0, 0]), 5, 1, 1)].join(''), '01110');
  });

  it('thresholds levels, reads masks as light = defective, and colours with alpha growing with the level', () => {
    assert.deepEqual([...thresholdLevels(new Uint8Array([0, 127, 128, 255]), 128)], [0, 0, 1, 1]);
    const rgba = new Uint8Array([255, 255, 255, 255, 0, 0, 0, 255, 200, 0, 0, 255, 255, 255, 255, 0]);
    assert.deepEqual([...binaryFromRgba(rgba, 4)], [1, 0, 1, 0]);
    const out = new Uint8ClampedArray(8);
    colourise(new Uint8Array([0, 255]), 'gray', out);
    assert.deepEqual([...out], [0, 0, 0, 0, 255, 255, 255, 255]);
  });
});
