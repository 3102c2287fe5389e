// Reading images into pixels in the browser (for maps and masks); files come through the app's /files proxy.

import { appFileUrl } from './file-url';
import { colourTableFromLegend, levelsFromGray, type ColourTable } from './maps';

export interface Pixels {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

export async function loadImage(url: string): Promise<HTMLImageElement> {
  const image = new Image();
  image.decoding = 'async';
  // Same origin: a canvas can read its pixels, and the session cookie goes with it.
  image.src = appFileUrl(url);
  try {
    await image.decode();
  } catch {
    throw new Error(`the image ${url} could not be loaded`);
  }
  return image;
}

/** RGBA pixels of an image at its own size. */
export function pixelsOf(image: HTMLImageElement): Pixels {
  const canvas = document.createElement('canvas');
  canvas.width = image.naturalWidth;
  canvas.height = image.naturalHeight;
  const context = canvas.getContext('2d', { willReadFrequently: true })!;
  context.drawImage(image, 0, 0);
  return {
    width: canvas.width,
    height: canvas.height,
    data: context.getImageData(0, 0, canvas.width, canvas.height).data,
  };
}

export async function loadPixels(url: string): Promise<Pixels> {
  return pixelsOf(await loadImage(url));
}

/** A map's levels (0-255) from its grey-level PNG (ResultMap.levelsUrl), at the map's resolution. */
export async function loadLevels(url: string): Promise<{ levels: Uint8Array; width: number; height: number }> {
  const { data, width, height } = await loadPixels(url);
  return { levels: levelsFromGray(data, width * height), width, height };
}

const colourTables = new Map<string, Promise<ColourTable>>();

/** A colour map's table from its legend URL (ColourMap.legendUrl), fetched once per page. */
export function loadColourTable(legendUrl: string): Promise<ColourTable> {
  let table = colourTables.get(legendUrl);
  if (!table) {
    table = loadPixels(legendUrl).then((legend) => colourTableFromLegend(legend.data, legend.width));
    // A failed load is not kept, so that a later choice of the same map tries again.
    table.catch(() => colourTables.delete(legendUrl));
    colourTables.set(legendUrl, table);
  }
  return table;
}
