import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';

import { StrokeHistory } from '../../../lib/mask/history';
import { MaskRaster } from '../../../lib/mask/raster';
import { MaskStage, type StageSnapshot } from '../../../lib/mask/stage';
import { FakeCanvas, installFakeDom } from '../../support/fake-canvas';

const dom = installFakeDom();

// A 100 x 50 image on a 400 x 300 canvas placed at (10, 20) in the page: fitted, 3.76 screen pixels per image
// pixel, the image's corner at (12, 56) on the canvas.
const SCALE = 3.76;
const client = (x: number, y: number): [number, number] => [10 + 12 + x * SCALE, 20 + 56 + y * SCALE];

function setUp(editable = true) {
  const canvas = new FakeCanvas(400, 300, { left: 10, top: 20 });
  const raster = new MaskRaster(100, 50);
  const history = new StrokeHistory();
  const snapshots: StageSnapshot[] = [];
  const stage = new MaskStage(canvas as unknown as HTMLCanvasElement, {} as HTMLImageElement, raster, history, {
    editable,
    onChange: (snapshot) => snapshots.push(snapshot),
  });
  stage.resize();
  dom.frame();
  /** The snapshot the next frame reports. */
  const latest = () => {
    dom.frame();
    return snapshots.at(-1)!;
  };
  const drag = (points: [number, number][], extra: Record<string, number> = {}) => {
    canvas.fire('pointerdown', ...client(...points[0]!), extra);
    for (const point of points.slice(1)) canvas.fire('pointermove', ...client(...point), extra);
    canvas.fire('pointerup', ...client(...points.at(-1)!), extra);
  };
  return { canvas, raster, history, stage, snapshots, latest, drag };
}

const pixel = (raster: MaskRaster, x: number, y: number) => raster.data[y * raster.width + x];

describe('MaskStage', () => {
  beforeEach(() => dom.frame());

  it('sizes the canvas in device pixels and fits the image on the first resize', () => {
    const { canvas, snapshots } = setUp();
    assert.deepEqual([canvas.width, canvas.height], [800, 600]);
    assert.equal(snapshots.length, 1);
    assert.ok(Math.abs(snapshots[0]!.scale - SCALE) < 1e-9);
    assert.equal(snapshots[0]!.pixels, 0);
  });

  it('paints a brush drag where the pointer is on the image, as one undo step', () => {
    const { raster, history, stage, latest, drag } = setUp();
    stage.setBrushSize(4);
    drag([
      [10, 10],
      [25, 10],
      [40.5, 10.5],
    ]);
    for (let x = 10; x < 40; x++) assert.equal(pixel(raster, x, 10), 1, `pixel ${x}`);
    assert.equal(pixel(raster, 25, 14), 0);
    assert.equal(history.size, 1);
    const snapshot = latest();
    assert.deepEqual(
      [snapshot.pixels, snapshot.dirty, snapshot.canUndo, snapshot.canRedo, snapshot.cursor],
      [raster.count(), true, true, false, { x: 40, y: 10 }],
    );
    assert.equal(stage.undo(), true);
    assert.equal(raster.count(), 0);
    assert.equal(latest().pixels, 0);
    assert.equal(stage.undo(), false);
    assert.equal(stage.redo(), true);
    assert.ok(raster.count() > 0);
  });

  it('erases with the eraser', () => {
    const { raster, stage, drag } = setUp();
    stage.replaceMask(new Uint8Array(100 * 50).fill(1), 'set');
    stage.setTool('eraser');
    drag([
      [50, 25],
      [60, 25],
    ]);
    assert.equal(pixel(raster, 55, 25), 0);
    assert.equal(pixel(raster, 55, 40), 1);
  });

  it('draws at most once a frame, with the latest state', () => {
    const { stage, snapshots, latest } = setUp();
    const before = snapshots.length;
    stage.setBrushSize(3);
    stage.setBrushSize(5);
    stage.setTool('eraser');
    const snapshot = latest();
    assert.equal(snapshots.length, before + 1);
    assert.deepEqual([snapshot.brushSize, snapshot.tool], [5, 'eraser']);
  });

  it('pans instead of painting while space is held, and with the middle button', () => {
    const { canvas, raster, stage, latest } = setUp();
    stage.setSpaceHeld(true);
    assert.equal(canvas.style.cursor, 'grab');
    const [x, y] = client(30.5, 20.5);
    canvas.fire('pointerdown', x, y);
    assert.equal(canvas.style.cursor, 'grabbing');
    canvas.fire('pointermove', x + 40, y + 20);
    assert.deepEqual(latest().cursor, { x: 30, y: 20 }, 'the image moved with the pointer');
    canvas.fire('pointerup', x + 40, y + 20);
    assert.equal(canvas.style.cursor, 'grab');
    stage.setSpaceHeld(false);
    canvas.fire('pointerdown', x + 40, y + 20, { button: 1 });
    canvas.fire('pointermove', x, y, { button: 1 });
    canvas.fire('pointerup', x, y, { button: 1 });
    assert.deepEqual(latest().cursor, { x: 30, y: 20 });
    assert.equal(raster.count(), 0);
  });

  it('zooms with the wheel around the pointer', () => {
    const { canvas, latest } = setUp();
    const [x, y] = client(30.5, 20.5);
    canvas.fire('pointermove', x, y);
    assert.equal(canvas.fire('wheel', x, y, { deltaY: -100, deltaMode: 0 }), true, 'the page does not scroll');
    const snapshot = latest();
    assert.ok(Math.abs(snapshot.scale - SCALE * Math.exp(0.15)) < 1e-9);
    assert.deepEqual(snapshot.cursor, { x: 30, y: 20 });
  });

  it('closes a polygon on a double click', () => {
    const { canvas, raster, history, stage, latest } = setUp();
    stage.setTool('polygon');
    for (const [x, y] of [
      [10, 10],
      [30, 10],
      [30, 30],
      [10, 30],
    ] as const) {
      canvas.fire('pointerdown', ...client(x, y));
      canvas.fire('pointerup', ...client(x, y));
    }
    assert.equal(latest().polygonPoints, 4);
    canvas.fire('dblclick', 0, 0);
    assert.equal(raster.count(), 20 * 20);
    assert.equal(history.size, 1);
    assert.equal(latest().polygonPoints, 0);
  });

  it('read-only, it lets the annotator look but not draw', () => {
    const { canvas, raster, stage, latest, drag } = setUp(false);
    drag([
      [10, 10],
      [40, 10],
    ]);
    stage.setTool('polygon');
    for (const [x, y] of [
      [10, 10],
      [30, 10],
      [30, 30],
    ] as const)
      canvas.fire('pointerdown', ...client(x, y));
    stage.closePolygon();
    assert.equal(raster.count(), 0);
    assert.equal(latest().polygonPoints, 0);
    canvas.fire('pointermove', ...client(20, 20));
    latest();
    assert.equal(canvas.context.count('arc'), 0, 'no brush outline');
  });

  it('shows the brush outline where the pointer is, and not once it leaves', () => {
    const { canvas, latest } = setUp();
    canvas.fire('pointermove', ...client(20, 20));
    latest();
    assert.equal(canvas.context.count('arc'), 1);
    canvas.fire('pointerleave', 0, 0);
    assert.equal(latest().cursor, null);
    assert.equal(canvas.context.count('arc'), 1);
  });

  it('draws the hint and the mask only when they are on', () => {
    const { canvas, stage, latest } = setUp();
    const images = () => {
      const before = canvas.context.count('drawImage');
      stage.fit();
      latest();
      return canvas.context.count('drawImage') - before;
    };
    assert.equal(images(), 2, 'the image and the mask');
    stage.setMaskLayer(0.5, false);
    assert.equal(images(), 1);
    stage.setHint({ width: 100, height: 50, data: new Uint8ClampedArray(100 * 50 * 4) } as ImageData);
    assert.equal(images(), 2, 'the image and the hint');
    stage.setHintLayer(0, true);
    assert.equal(images(), 1, 'a transparent hint is not drawn');
  });

  it('stops listening and drawing when destroyed', () => {
    const { raster, stage, snapshots, drag } = setUp();
    stage.setBrushSize(3);
    stage.destroy();
    const before = snapshots.length;
    drag([
      [10, 10],
      [40, 10],
    ]);
    dom.frame();
    assert.equal(raster.count(), 0);
    assert.equal(snapshots.length, before);
  });
});

describe('MaskStage locked, versions and revisions', () => {
  beforeEach(() => dom.frame());

  it('draws nothing while locked, and again once unlocked', () => {
    const { raster, stage, latest, drag } = setUp();
    stage.setLocked(true);
    assert.equal(latest().locked, true);
    drag([
      [10, 10],
      [30, 10],
    ]);
    assert.equal(raster.count(), 0, 'no stroke while locked');
    stage.setLocked(false);
    drag([
      [10, 10],
      [30, 10],
    ]);
    assert.ok(raster.count() > 0);
    assert.equal(latest().locked, false);
  });

  it('counts every edit in its revision, a stroke with the same pixel count included', () => {
    const { stage, latest, drag } = setUp();
    const first = latest().revision;
    drag([
      [10, 10],
      [20, 10],
    ]);
    const painted = latest();
    assert.ok(painted.revision > first);
    stage.undo();
    assert.ok(latest().revision > painted.revision, 'undo is an edit too');
    const data = new Uint8Array(100 * 50);
    assert.equal(stage.replaceMask(data, 'set'), false, 'an empty mask over an empty mask changes nothing');
  });

  it("shows a version's pixels in place of the mask, without touching the mask", () => {
    const { canvas, raster, stage, latest } = setUp();
    const lastDrawn = () => canvas.context.calls.filter((call) => call.name === 'drawImage').at(-1)!.args[0];
    latest();
    const mask = lastDrawn();
    stage.showVersion(new Uint8Array(100 * 50).fill(1));
    latest();
    const version = lastDrawn() as FakeCanvas;
    assert.notEqual(version, mask, 'the version is drawn where the mask was');
    const put = version.context.calls.find((call) => call.name === 'putImageData')!;
    const pixels = (put.args[0] as { data: Uint8ClampedArray }).data;
    assert.equal(pixels[3], 255, 'every pixel of the version is marked');
    assert.equal(raster.count(), 0, 'the mask being edited is unchanged');
    stage.showVersion(null);
    latest();
    assert.equal(lastDrawn(), mask);
  });
});
