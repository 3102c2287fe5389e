// The editing half of the stage: the tool, the brush, the polygon being drawn and the strokes they make in the
// raster and its history. Everything is in image coordinates and nothing touches the DOM; each edit returns the
// rectangle of the mask it changed, for the stage to redraw.
import type { StrokeHistory } from './history';
import { union, type MaskRaster, type Rect } from './raster';
import type { Point } from './viewport';

export type Tool = 'brush' | 'eraser' | 'polygon';

const MIN_BRUSH = 1;
const MAX_BRUSH = 256;
/** A click this close to the first vertex (in screen pixels) closes the polygon. */
const CLOSE_DISTANCE = 8;

/** Of the image's shorter side, the brush a new image starts with: a stroke's width, whatever the image's size. */
const BRUSH_FRACTION = 0.025;

/**
 * The brush diameter an image starts with: 2.5 % of its shorter side, at least 1 pixel (a fixed 8 px covered
 * 30 % of a 28 px image and a speck of a 4K one).
 */
export function defaultBrushSize(width: number, height: number): number {
  if (!(width > 0 && height > 0)) throw new RangeError(`an image is at least 1 x 1 pixels, not ${width} x ${height}`);
  return Math.min(MAX_BRUSH, Math.max(MIN_BRUSH, Math.round(Math.min(width, height) * BRUSH_FRACTION)));
}

export class MaskTools {
  tool: Tool = 'brush';
  /** Brush diameter in image pixels. */
  brushSize: number;
  /** Defective pixels in the mask, counted again when a stroke ends. */
  pixels: number;
  private vertices: Point[] = [];
  /** The last point of the brush or eraser stroke being painted, null when none is. */
  private last: Point | null = null;

  constructor(
    private readonly raster: MaskRaster,
    private readonly history: StrokeHistory,
  ) {
    this.pixels = raster.count();
    this.brushSize = defaultBrushSize(raster.width, raster.height);
  }

  get polygon(): readonly Point[] {
    return this.vertices;
  }

  get painting(): boolean {
    return this.last !== null;
  }

  setTool(tool: Tool): void {
    if (tool !== 'polygon') this.vertices = [];
    this.tool = tool;
  }

  setBrushSize(size: number): void {
    this.brushSize = Math.min(MAX_BRUSH, Math.max(MIN_BRUSH, Math.round(size)));
  }

  /** [ and ]: about 20 % smaller or larger, at least one pixel. */
  stepBrushSize(direction: 1 | -1): void {
    this.setBrushSize(this.brushSize + direction * Math.max(1, Math.round(this.brushSize * 0.2)));
  }

  /**
   * A press of the primary button at `point`: starts a brush or eraser stroke, or adds a polygon vertex (closing
   * the polygon when it is on the first vertex at the current `scale`).
   */
  press(point: Point, scale: number): Rect | null {
    if (this.tool === 'polygon') {
      const first = this.vertices[0];
      if (
        first &&
        this.vertices.length >= 3 &&
        Math.hypot(first.x - point.x, first.y - point.y) * scale < CLOSE_DISTANCE
      )
        return this.closePolygon();
      this.vertices.push(point);
      return null;
    }
    this.raster.begin(this.tool === 'eraser' ? 0 : 1);
    this.last = point;
    return this.paint(point, point);
  }

  /** Continues the stroke through `points` (the moves the browser coalesced into one event, in order). */
  drag(points: readonly Point[]): Rect | null {
    let rect: Rect | null = null;
    for (const point of points) {
      if (!this.last) return rect;
      rect = union(rect, this.paint(this.last, point));
      this.last = point;
    }
    return rect;
  }

  /** Ends the stroke being painted: one step in the history when it changed anything. */
  release(): void {
    if (!this.last) return;
    this.last = null;
    this.endStroke();
  }

  closePolygon(): Rect | null {
    if (this.tool !== 'polygon' || this.vertices.length < 3) return null;
    this.raster.begin(1);
    const rect = this.raster.polygon(this.vertices);
    this.vertices = [];
    this.endStroke();
    return rect;
  }

  cancelPolygon(): boolean {
    if (this.vertices.length === 0) return false;
    this.vertices = [];
    return true;
  }

  removeLastVertex(): boolean {
    return this.vertices.pop() !== undefined;
  }

  undo(): Rect | null {
    const stroke = this.history.undo();
    if (!stroke) return null;
    return this.counted(this.raster.undo(stroke));
  }

  redo(): Rect | null {
    const stroke = this.history.redo();
    if (!stroke) return null;
    return this.counted(this.raster.redo(stroke));
  }

  /** Takes another mask ('set') or adds it to this one ('add') as one undoable step. */
  replaceMask(data: Uint8Array, mode: 'set' | 'add'): Rect | null {
    const stroke = this.raster.replace(data, mode);
    if (!stroke) return null;
    this.history.push(stroke);
    return this.counted(this.raster.bounds(stroke));
  }

  /** The mask's pixels, as a copy (for keeping a draft). */
  pixelsCopy(): Uint8Array {
    return Uint8Array.from(this.raster.data);
  }

  private paint(from: Point, to: Point): Rect | null {
    return this.raster.segment(from.x, from.y, to.x, to.y, this.brushSize / 2);
  }

  private endStroke(): void {
    const stroke = this.raster.end();
    if (stroke) this.history.push(stroke);
    this.pixels = this.raster.count();
  }

  private counted(rect: Rect): Rect {
    this.pixels = this.raster.count();
    return rect;
  }
}
