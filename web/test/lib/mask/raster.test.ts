import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { MaskRaster } from '../../../lib/mask/raster';

const sum = (raster: MaskRaster) => raster.count();

describe('MaskRaster strokes', () => {
  it('paints a disc of the brush radius, clipped at the image border', () => {
    const raster = new MaskRaster(20, 20);
    raster.begin(1);
    raster.disc(10, 10, 3);
    const stroke = raster.end()!;
    // Pixel centres within 3 px of the pixel corner (10, 10): 8 per quadrant.
    assert.equal(sum(raster), 32);
    assert.equal(stroke.indices.length, 32);
    raster.begin(1);
    assert.deepEqual(raster.disc(0, 0, 2), { x0: 0, y0: 0, x1: 3, y1: 3 });
  });

  it('leaves no gaps along a fast segment and records each pixel once', () => {
    const raster = new MaskRaster(100, 10);
    raster.begin(1);
    raster.segment(5, 5, 95, 5, 1);
    const stroke = raster.end()!;
    for (let x = 5; x < 95; x++) assert.equal(raster.data[5 * 100 + x], 1, `pixel ${x}`);
    assert.equal(new Set(stroke.indices).size, stroke.indices.length);
  });

  it('erases with value 0 and records only pixels that changed', () => {
    const raster = new MaskRaster(10, 10, new Uint8Array(100).fill(1));
    raster.begin(0);
    raster.disc(5, 5, 2);
    const stroke = raster.end()!;
    assert.equal(sum(raster), 100 - stroke.indices.length);
    raster.begin(0);
    raster.disc(5, 5, 2);
    assert.equal(raster.end(), null, 'erasing erased pixels changes nothing');
  });

  it('fills a polygon by pixel centres (even-odd)', () => {
    const raster = new MaskRaster(10, 10);
    raster.begin(1);
    raster.polygon([
      { x: 2, y: 2 },
      { x: 8, y: 2 },
      { x: 8, y: 6 },
      { x: 2, y: 6 },
    ]);
    raster.end();
    assert.equal(sum(raster), 6 * 4);
    assert.equal(raster.data[2 * 10 + 2], 1);
    assert.equal(raster.data[6 * 10 + 2], 0);
  });

  it('undo and redo restore exactly what a stroke overwrote', () => {
    const start = new Uint8Array(64);
    start[0] = 1;
    start[9] = 1;
    const raster = new MaskRaster(8, 8, start);
    raster.begin(0);
    raster.segment(0, 0, 8, 8, 1.5);
    const erase = raster.end()!;
    raster.begin(1);
    raster.disc(4, 4, 2);
    const paint = raster.end()!;
    const after = Uint8Array.from(raster.data);
    raster.undo(paint);
    raster.undo(erase);
    assert.deepEqual(raster.data, start);
    raster.redo(erase);
    raster.redo(paint);
    assert.deepEqual(raster.data, after);
  });

  it('takes or adds another mask as one undoable step', () => {
    const raster = new MaskRaster(2, 2, new Uint8Array([1, 1, 0, 0]));
    const theirs = new Uint8Array([0, 1, 1, 0]);
    const added = raster.replace(theirs, 'add')!;
    assert.deepEqual([...raster.data], [1, 1, 1, 0]);
    raster.undo(added);
    const set = raster.replace(theirs, 'set')!;
    assert.deepEqual([...raster.data], [0, 1, 1, 0]);
    raster.undo(set);
    assert.deepEqual([...raster.data], [1, 1, 0, 0]);
    assert.equal(raster.replace(new Uint8Array([1, 1, 0, 0]), 'set'), null);
  });

  it('refuses data of the wrong size', () => {
    assert.throws(() => new MaskRaster(3, 3, new Uint8Array(8)), /3 x 3 mask needs 9/);
  });
});

describe('MaskRaster 1 px discs', () => {
  it('paints the pixel a point is in when the disc covers no pixel centre', () => {
    const raster = new MaskRaster(4, 4);
    raster.begin(1);
    raster.disc(2, 1, 0.5);
    assert.deepEqual(
      [...raster.data.keys()].filter((i) => raster.data[i]),
      [1 * 4 + 2],
    );
    raster.disc(-1, 1, 0.5);
    assert.equal(raster.count(), 1, 'a point outside the image paints nothing');
  });
});
