import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  binaryFromRgba,
  colourise,
  colourTableFromLegend,
  contour,
  dilate,
  levelsFromGray,
  resizeBinary,
  resizeLevels,
  thresholdLevels,
} from '../../lib/maps';

describe('colours and levels as the API serves them', () => {
  it('reads a legend into a table of 256 colours, and refuses one of another width', () => {
    const legend = new Uint8Array(256 * 4);
    for (let x = 0; x < 256; x++) legend.set([x, 255 - x, 7, 255], x * 4);
    const table = colourTableFromLegend(legend, 256);
    assert.deepEqual([...table.subarray(0, 6)], [0, 255, 7, 1, 254, 7]);
    assert.deepEqual([...table.subarray(255 * 3)], [255, 0, 7]);
    assert.throws(() => colourTableFromLegend(new Uint8Array(10 * 4), 10), /256 pixels wide; this one is 10/);
  });

  it('reads grey levels from RGBA pixels', () => {
    const rgba = new Uint8Array([0, 0, 0, 255, 128, 128, 128, 255, 255, 255, 255, 255]);
    assert.deepEqual([...levelsFromGray(rgba, 3)], [0, 128, 255]);
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
    const gray = Uint8Array.from({ length: 256 * 3 }, (_, index) => Math.floor(index / 3));
    const out = new Uint8ClampedArray(8);
    colourise(new Uint8Array([0, 255]), gray, out);
    assert.deepEqual([...out], [0, 0, 0, 0, 255, 255, 255, 255]);
  });
});
