// What the stage paints under its overlay: the image, the attention hint and the mask, each with its own
// opacity and visibility. The mask is kept as a coloured offscreen canvas, refreshed one dirty rectangle at a time.
import { MaskRaster, type Rect } from './raster';
import type { Viewport } from './viewport';

const MASK_COLOUR = [255, 48, 64] as const;

/** Copies a rectangle of the mask into RGBA `pixels` of the same size: the mask colour, opaque where defective. */
export function colourMask(raster: MaskRaster, pixels: Uint8ClampedArray, rect: Rect): void {
  const { data, width } = raster;
  for (let y = rect.y0; y < rect.y1; y++) {
    for (let x = rect.x0; x < rect.x1; x++) {
      const i = y * width + x;
      pixels[i * 4] = MASK_COLOUR[0];
      pixels[i * 4 + 1] = MASK_COLOUR[1];
      pixels[i * 4 + 2] = MASK_COLOUR[2];
      pixels[i * 4 + 3] = data[i] === 1 ? 255 : 0;
    }
  }
}

interface Layer {
  opacity: number;
  visible: boolean;
}

export class StageLayers {
  readonly mask: Layer = { opacity: 0.5, visible: true };
  readonly hint: Layer = { opacity: 0.5, visible: true };
  private readonly maskCanvas: HTMLCanvasElement;
  private readonly maskContext: CanvasRenderingContext2D;
  private readonly maskPixels: ImageData;
  private hintCanvas: HTMLCanvasElement | null = null;
  /** A saved version shown read-only in place of the mask, coloured as the mask is. */
  private versionCanvas: HTMLCanvasElement | null = null;

  constructor(
    private readonly image: HTMLImageElement,
    private readonly raster: MaskRaster,
  ) {
    this.maskCanvas = document.createElement('canvas');
    this.maskCanvas.width = raster.width;
    this.maskCanvas.height = raster.height;
    this.maskContext = this.maskCanvas.getContext('2d')!;
    this.maskPixels = this.maskContext.createImageData(raster.width, raster.height);
    this.refreshMask({ x0: 0, y0: 0, x1: raster.width, y1: raster.height });
  }

  /** Takes what the raster holds in `rect` into the coloured mask. */
  refreshMask(rect: Rect): void {
    colourMask(this.raster, this.maskPixels.data, rect);
    this.maskContext.putImageData(this.maskPixels, 0, 0, rect.x0, rect.y0, rect.x1 - rect.x0, rect.y1 - rect.y0);
  }

  /** The attention hint as RGBA pixels at the image's size (null: none). */
  setHint(pixels: ImageData | null): void {
    if (!pixels) {
      this.hintCanvas = null;
      return;
    }
    this.hintCanvas = document.createElement('canvas');
    this.hintCanvas.width = pixels.width;
    this.hintCanvas.height = pixels.height;
    this.hintCanvas.getContext('2d')!.putImageData(pixels, 0, 0);
  }

  /** A saved version's pixels (one byte per pixel) to show instead of the mask; null: the mask again. */
  showVersion(data: Uint8Array | null): void {
    if (!data) {
      this.versionCanvas = null;
      return;
    }
    const { width, height } = this.raster;
    const version = new MaskRaster(width, height, data);
    this.versionCanvas = document.createElement('canvas');
    this.versionCanvas.width = width;
    this.versionCanvas.height = height;
    const context = this.versionCanvas.getContext('2d')!;
    const pixels = context.createImageData(width, height);
    colourMask(version, pixels.data, { x0: 0, y0: 0, x1: width, y1: height });
    context.putImageData(pixels, 0, 0);
  }

  /** Clears the canvas and paints the image and its layers where the viewport puts them. */
  draw(context: CanvasRenderingContext2D, view: Viewport): void {
    const { ratio, scale, offset } = view;
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.clearRect(0, 0, view.width, view.height);
    context.setTransform(ratio * scale, 0, 0, ratio * scale, ratio * offset.x, ratio * offset.y);
    // Zoomed in, annotators need to see the real pixels; zoomed out, smoothing reads better.
    context.imageSmoothingEnabled = scale < 2;
    context.drawImage(this.image, 0, 0, this.raster.width, this.raster.height);
    if (this.hintCanvas && this.hint.visible && this.hint.opacity > 0) {
      context.globalAlpha = this.hint.opacity;
      context.drawImage(this.hintCanvas, 0, 0);
    }
    if (this.mask.visible && this.mask.opacity > 0) {
      context.imageSmoothingEnabled = false;
      context.globalAlpha = this.mask.opacity;
      context.drawImage(this.versionCanvas ?? this.maskCanvas, 0, 0);
    }
    context.globalAlpha = 1;
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
  }
}
