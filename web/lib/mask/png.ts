// Masks to and from PNG in the browser: the API takes a PNG of the image's size (light = defective) and
// serves each version as a single-channel PNG (255 = defective).
import { loadPixels } from '../browser-images';
import { binaryFromRgba, resizeBinary } from '../maps';

/** The mask as a base64 PNG (white on black), what saveMask takes. */
export function maskToPngBase64(data: Uint8Array, width: number, height: number): string {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d')!;
  const pixels = context.createImageData(width, height);
  for (let i = 0; i < data.length; i++) {
    const value = data[i] ? 255 : 0;
    pixels.data[i * 4] = value;
    pixels.data[i * 4 + 1] = value;
    pixels.data[i * 4 + 2] = value;
    pixels.data[i * 4 + 3] = 255;
  }
  context.putImageData(pixels, 0, 0);
  return canvas.toDataURL('image/png').replace(/^data:image\/png;base64,/, '');
}

/** A stored mask version as 0/1 at the image's size. */
export async function loadMask(url: string, width: number, height: number): Promise<Uint8Array> {
  const pixels = await loadPixels(url);
  const binary = binaryFromRgba(pixels.data, pixels.width * pixels.height);
  return resizeBinary(binary, pixels.width, pixels.height, width, height);
}
