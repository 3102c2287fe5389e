import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { Viewport } from '../../../lib/mask/viewport';

/** A 100 x 50 image on a 400 x 300 canvas, fitted. */
function fitted(): Viewport {
  const view = new Viewport(100, 50);
  assert.equal(view.resize(400, 300, 2), true);
  view.fit();
  return view;
}

const close = (actual: number, expected: number) => assert.ok(Math.abs(actual - expected) < 1e-9, `${actual}`);

describe('Viewport', () => {
  it('says only the first real size asks for a fit, and never goes below one pixel', () => {
    const view = new Viewport(10, 10);
    assert.equal(view.resize(0, 0, 1), true, 'an unmeasured canvas is not a real size yet');
    assert.deepEqual([view.width, view.height], [1, 1]);
    assert.equal(view.resize(300, 200, 1), true);
    assert.equal(view.resize(310, 200, 1), false);
  });

  it('fits the whole image with a margin, centred', () => {
    const view = fitted();
    // The width limits: 400 / 100 = 4, less 6 %.
    close(view.scale, 3.76);
    close(view.offset.x, (400 - 376) / 2);
    close(view.offset.y, (300 - 188) / 2);
    assert.deepEqual(view.toScreen({ x: 50, y: 25 }), { x: 200, y: 150 });
  });

  it('maps screen to image and back', () => {
    const view = fitted();
    view.zoomBy(1.7, { x: 13, y: 250 });
    view.panBy(-40, 12);
    const point = { x: 31.5, y: 7.25 };
    const back = view.toImage(view.toScreen(point));
    close(back.x, point.x);
    close(back.y, point.y);
  });

  it('zooms around the given point, which keeps its image pixel', () => {
    const view = fitted();
    const at = { x: 120, y: 80 };
    const before = view.toImage(at);
    view.zoomBy(2, at);
    close(view.scale, 7.52);
    const after = view.toImage(at);
    close(after.x, before.x);
    close(after.y, before.y);
  });

  it('zooms around the centre by default', () => {
    const view = fitted();
    view.zoomBy(3);
    const centre = view.toImage({ x: 200, y: 150 });
    close(centre.x, 50);
    close(centre.y, 25);
  });

  it('zooms in to 64 screen pixels per image pixel and out to a quarter of the fitting zoom', () => {
    const view = fitted();
    view.zoomBy(1000);
    assert.equal(view.scale, 64);
    view.zoomBy(1e-6);
    assert.equal(view.scale, 1);
  });

  it('pans by screen pixels', () => {
    const view = fitted();
    const before = view.toImage({ x: 100, y: 100 });
    view.panBy(37.6, -18.8);
    const after = view.toImage({ x: 100, y: 100 });
    close(before.x - after.x, 10);
    close(before.y - after.y, -5);
  });
});
