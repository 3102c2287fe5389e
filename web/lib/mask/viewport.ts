// Where the image sits on the editor's canvas: the zoom (screen pixels per image pixel) and the offset of the
// image's corner, in CSS pixels. Pure, so zoom and pan can be checked without a browser.

export interface Point {
  x: number;
  y: number;
}

const MAX_SCALE = 64;

export class Viewport {
  /** Screen pixels per image pixel. */
  scale = 1;
  offset: Point = { x: 0, y: 0 };
  /** The canvas in CSS pixels, and device pixels per CSS pixel. */
  width = 1;
  height = 1;
  ratio = 1;

  constructor(
    readonly imageWidth: number,
    readonly imageHeight: number,
  ) {}

  /** Takes the canvas's new size; true when it is the first real size, when the caller should fit the image. */
  resize(width: number, height: number, ratio: number): boolean {
    const first = this.width === 1 && this.height === 1;
    this.width = Math.max(1, width);
    this.height = Math.max(1, height);
    this.ratio = ratio;
    return first;
  }

  /** The whole image in view, centred, with a small margin. */
  fit(): void {
    this.scale = Math.min(MAX_SCALE, 0.94 * this.fitScale() || 1);
    this.offset = {
      x: (this.width - this.imageWidth * this.scale) / 2,
      y: (this.height - this.imageHeight * this.scale) / 2,
    };
  }

  /**
   * Zooms by `factor` keeping the image point under `at` (screen) in place, between a quarter of the fitting
   * zoom and MAX_SCALE.
   */
  zoomBy(factor: number, at: Point = { x: this.width / 2, y: this.height / 2 }): void {
    const next = Math.min(MAX_SCALE, Math.max(this.fitScale() / 4, this.scale * factor));
    const anchor = this.toImage(at);
    this.scale = next;
    this.offset = { x: at.x - anchor.x * next, y: at.y - anchor.y * next };
  }

  panBy(dx: number, dy: number): void {
    this.offset = { x: this.offset.x + dx, y: this.offset.y + dy };
  }

  toImage(point: Point): Point {
    return { x: (point.x - this.offset.x) / this.scale, y: (point.y - this.offset.y) / this.scale };
  }

  toScreen(point: Point): Point {
    return { x: point.x * this.scale + this.offset.x, y: point.y * this.scale + this.offset.y };
  }

  private fitScale(): number {
    return Math.min(this.width / this.imageWidth, this.height / this.imageHeight);
  }
}
