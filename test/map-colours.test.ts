import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import sharp from 'sharp';

import { COLOUR_MAP_NAMES, legendPng } from '../api/src/files/colour-maps';
import { heatmapPng } from '../api/src/files/render';
import { colourise, colourTableFromLegend, levelsFromGray } from '../web/lib/maps';

async function rgbaOf(png: Buffer): Promise<{ data: Uint8Array; width: number }> {
  const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data), width: info.width };
}

// The web app colours maps itself, from the API's levels and legends: it must show what the API's PNGs show.
describe('map colours across the API and the web app', () => {
  const ramp = { width: 256, height: 1, data: Float32Array.from({ length: 256 }, (_, level) => level) };

  for (const name of COLOUR_MAP_NAMES) {
    it(`colours every level in ${name} as the API does`, async () => {
      const legend = await rgbaOf(await legendPng(name));
      const levels = levelsFromGray((await rgbaOf(await heatmapPng(ramp, [0, 255], 'gray'))).data, 256);
      assert.deepEqual([...levels], [...ramp.data]);
      const browser = new Uint8ClampedArray(256 * 4);
      colourise(levels, colourTableFromLegend(legend.data, legend.width), browser, { alphaByLevel: false });
      const api = await rgbaOf(await heatmapPng(ramp, [0, 255], name));
      assert.deepEqual([...browser], [...api.data]);
    });
  }
});
