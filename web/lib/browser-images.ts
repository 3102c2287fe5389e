// Reading images into pixels in the browser (for maps and masks); files come through the app's /files proxy.

export interface Pixels {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

export async function loadImage(url: string): Promise<HTMLImageElement> {
  const image = new Image();
  image.decoding = 'async';
  image.src = url;
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
