import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { colourMask } from '../../../lib/mask/layers';
import { MaskRaster } from '../../../lib/mask/raster';

describe('colourMask', () => {
  it('colours defective pixels opaque and the rest transparent, inside the rectangle only', () => {
    const raster = new MaskRaster(3, 2, new Uint8Array([1, 0, 1, 0, 1, 1]));
    const pixels = new Uint8ClampedArray(3 * 2 * 4).fill(7);
    colourMask(raster, pixels, { x0: 1, y0: 0, x1: 3, y1: 2 });
    const alpha = (x: number, y: number) => pixels[(y * 3 + x) * 4 + 3];
    assert.deepEqual([alpha(1, 0), alpha(2, 0), alpha(1, 1), alpha(2, 1)], [0, 255, 255, 255]);
    assert.deepEqual([...pixels.subarray(4, 7)], [255, 48, 64], 'the mask colour, also under transparent pixels');
    assert.deepEqual([...pixels.subarray(0, 4)], [7, 7, 7, 7], 'column 0 is outside the rectangle');
    assert.deepEqual([...pixels.subarray(12, 16)], [7, 7, 7, 7]);
  });
});
