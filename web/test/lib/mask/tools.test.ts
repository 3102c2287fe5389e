import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { StrokeHistory } from '../../../lib/mask/history';
import { MaskRaster } from '../../../lib/mask/raster';
import { defaultBrushSize, MaskTools } from '../../../lib/mask/tools';

function setUp(width = 40, height = 20, data?: Uint8Array) {
  const raster = new MaskRaster(width, height, data);
  const history = new StrokeHistory();
  return { raster, history, tools: new MaskTools(raster, history) };
}

const at = (raster: MaskRaster, x: number, y: number) => raster.data[y * raster.width + x];

describe('MaskTools brush and eraser', () => {
  it('paints a drag as one stroke of the brush width, counted when it ends', () => {
    const { raster, history, tools } = setUp();
    tools.setBrushSize(4);
    assert.ok(tools.press({ x: 5, y: 10 }, 1));
    assert.equal(tools.painting, true);
    const rect = tools.drag([
      { x: 15, y: 10 },
      { x: 30, y: 10 },
    ]);
    assert.deepEqual(rect, { x0: 3, y0: 8, x1: 33, y1: 13 }, 'from the press to the last point');
    for (let x = 5; x < 30; x++) assert.equal(at(raster, x, 10), 1, `pixel ${x} on the path`);
    assert.equal(at(raster, 15, 13), 0, 'outside the brush radius');
    assert.equal(tools.pixels, 0, 'not counted while painting');
    tools.release();
    assert.equal(tools.painting, false);
    assert.equal(tools.pixels, raster.count());
    assert.ok(tools.pixels > 0);
    assert.equal(history.size, 1);
    assert.equal(history.dirty, true);
  });

  it('ignores drags and releases when no stroke is being painted', () => {
    const { raster, history, tools } = setUp();
    assert.equal(tools.drag([{ x: 5, y: 5 }]), null);
    tools.release();
    assert.equal(raster.count(), 0);
    assert.equal(history.size, 0);
  });

  it('erases with the eraser, and a stroke that changes nothing is not a step', () => {
    const { raster, history, tools } = setUp(10, 10, new Uint8Array(100).fill(1));
    tools.setTool('eraser');
    tools.press({ x: 5, y: 5 }, 1);
    tools.release();
    assert.equal(history.size, 1);
    assert.equal(at(raster, 5, 5), 0);
    assert.equal(tools.pixels, 100 - history.undo()!.indices.length);
    history.redo();
    tools.press({ x: 5, y: 5 }, 1);
    tools.release();
    assert.equal(history.size, 1, 'erasing erased pixels');
  });

  it('undoes and redoes strokes, returning what to redraw', () => {
    const { raster, tools } = setUp();
    tools.press({ x: 10, y: 10 }, 1);
    tools.release();
    const painted = raster.count();
    const rect = tools.undo();
    assert.ok(rect && rect.x0 <= 10 && rect.x1 > 10);
    assert.equal(raster.count(), 0);
    assert.equal(tools.pixels, 0);
    tools.redo();
    assert.equal(tools.pixels, painted);
    assert.equal(tools.redo(), null, 'nothing more to redo');
  });

  it('keeps the brush between 1 and 256 pixels and steps it by about a fifth', () => {
    const { tools } = setUp();
    tools.setBrushSize(0.2);
    assert.equal(tools.brushSize, 1);
    tools.setBrushSize(1000);
    assert.equal(tools.brushSize, 256);
    tools.setBrushSize(20);
    tools.stepBrushSize(1);
    assert.equal(tools.brushSize, 24);
    tools.stepBrushSize(-1);
    assert.equal(tools.brushSize, 19);
    tools.setBrushSize(2);
    tools.stepBrushSize(-1);
    assert.equal(tools.brushSize, 1, 'at least one pixel per step');
  });
});

describe('MaskTools polygon', () => {
  const square = [
    { x: 2, y: 2 },
    { x: 12, y: 2 },
    { x: 12, y: 8 },
    { x: 2, y: 8 },
  ];

  it('adds vertices and fills the shape when the first vertex is clicked again', () => {
    const { raster, history, tools } = setUp();
    tools.setTool('polygon');
    // At 4x zoom, the last vertex is 24 screen pixels from the first: too far to close the shape.
    for (const vertex of square) assert.equal(tools.press(vertex, 4), null);
    assert.equal(tools.polygon.length, 4);
    assert.equal(raster.count(), 0, 'nothing is filled before the polygon closes');
    const rect = tools.press({ x: 3, y: 3 }, 4);
    assert.deepEqual(rect, { x0: 2, y0: 2, x1: 12, y1: 8 });
    assert.equal(raster.count(), 10 * 6);
    assert.equal(tools.pixels, 60);
    assert.equal(tools.polygon.length, 0);
    assert.equal(history.size, 1);
  });

  it('closes on the first vertex within 8 screen pixels, so the zoom decides', () => {
    const { tools } = setUp();
    tools.setTool('polygon');
    for (const vertex of square.slice(0, 3)) tools.press(vertex, 1);
    assert.equal(tools.press({ x: 5, y: 2 }, 4), null, '3 image pixels at 4x zoom are 12 screen pixels');
    assert.equal(tools.polygon.length, 4);
    assert.ok(tools.press({ x: 3, y: 2 }, 4));
  });

  it('does not close with fewer than three vertices', () => {
    const { tools } = setUp();
    tools.setTool('polygon');
    tools.press(square[0]!, 1);
    tools.press(square[1]!, 1);
    assert.equal(tools.closePolygon(), null);
    assert.equal(tools.polygon.length, 2);
  });

  it('removes the last vertex, cancels, and forgets the polygon when another tool is taken', () => {
    const { raster, tools } = setUp();
    tools.setTool('polygon');
    for (const vertex of square) tools.press(vertex, 4);
    assert.equal(tools.removeLastVertex(), true);
    assert.deepEqual(tools.polygon, square.slice(0, 3));
    assert.equal(tools.cancelPolygon(), true);
    assert.equal(tools.cancelPolygon(), false);
    assert.equal(tools.removeLastVertex(), false);
    for (const vertex of square) tools.press(vertex, 4);
    tools.setTool('brush');
    assert.equal(tools.polygon.length, 0);
    assert.equal(tools.closePolygon(), null);
    assert.equal(raster.count(), 0);
  });
});

describe('MaskTools.replaceMask', () => {
  it('takes or adds another mask as one undoable step', () => {
    const { raster, history, tools } = setUp(2, 2, new Uint8Array([1, 0, 0, 0]));
    const theirs = new Uint8Array([0, 0, 1, 1]);
    assert.deepEqual(tools.replaceMask(theirs, 'add'), { x0: 0, y0: 1, x1: 2, y1: 2 }, 'the changed pixels');
    assert.deepEqual([...raster.data], [1, 0, 1, 1]);
    assert.equal(tools.pixels, 3);
    tools.undo();
    tools.replaceMask(theirs, 'set');
    assert.deepEqual([...raster.data], [0, 0, 1, 1]);
    assert.equal(tools.pixels, 2);
    assert.equal(history.size, 1);
    assert.equal(tools.replaceMask(theirs, 'set'), null, 'the same mask again changes nothing');
    assert.equal(history.size, 1);
  });
});

describe('defaultBrushSize', () => {
  it('is 2.5 % of the shorter side, rounded, at least 1 and at most 256 pixels', () => {
    assert.equal(defaultBrushSize(28, 28), 1, 'a 28 px image: one pixel, not 8');
    assert.equal(defaultBrushSize(1, 1), 1);
    assert.equal(defaultBrushSize(256, 256), 6);
    assert.equal(defaultBrushSize(1024, 768), 19, 'of the shorter side');
    assert.equal(defaultBrushSize(3840, 2160), 54);
    assert.equal(defaultBrushSize(100_000, 100_000), 256);
  });

  it('is what a new image starts with', () => {
    assert.equal(setUp(1024, 800).tools.brushSize, 20);
  });

  it('refuses an image without pixels, naming its size', () => {
    assert.throws(() => defaultBrushSize(0, 10), /at least 1 x 1 pixels, not 0 x 10/);
  });
});
