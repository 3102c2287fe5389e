// The editor's drawing surface: the image, the optional attention hint and the mask on one canvas, with brush,
// eraser and polygon tools, wheel zoom around the cursor and panning (space + drag, or the middle button).
// Imperative on purpose: pointer moves paint and redraw without going through React.
import type { StrokeHistory } from './history';
import { union, type MaskRaster, type Rect } from './raster';

export type Tool = 'brush' | 'eraser' | 'polygon';

export interface StageSnapshot {
  tool: Tool;
  brushSize: number;
  /** Screen pixels per image pixel. */
  scale: number;
  /** Defective pixels in the mask. */
  pixels: number;
  dirty: boolean;
  canUndo: boolean;
  canRedo: boolean;
  cursor: { x: number; y: number } | null;
  polygonPoints: number;
}

const MASK_COLOUR = [255, 48, 64] as const;
const MIN_BRUSH = 1;
const MAX_BRUSH = 256;
const MAX_SCALE = 64;

interface Point {
  x: number;
  y: number;
}

export class MaskStage {
  private context: CanvasRenderingContext2D;
  private maskLayer: HTMLCanvasElement;
  private maskContext: CanvasRenderingContext2D;
  private maskPixels: ImageData;
  private hintLayer: HTMLCanvasElement | null = null;
  private tool: Tool = 'brush';
  private brushSize = 8;
  private maskOpacity = 0.5;
  private maskVisible = true;
  private hintOpacity = 0.5;
  private hintVisible = true;
  private scale = 1;
  private offset = { x: 0, y: 0 };
  private size = { width: 1, height: 1, ratio: 1 };
  private spaceHeld = false;
  private pointer: Point | null = null;
  private drag: { kind: 'paint'; last: Point } | { kind: 'pan'; x: number; y: number } | null = null;
  private polygon: Point[] = [];
  private frame = 0;
  private pixelCount: number;
  private cleanup: (() => void)[] = [];

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly image: HTMLImageElement,
    private readonly raster: MaskRaster,
    private readonly history: StrokeHistory,
    private readonly options: { editable: boolean; onChange: (snapshot: StageSnapshot) => void },
  ) {
    this.context = canvas.getContext('2d')!;
    this.maskLayer = document.createElement('canvas');
    this.maskLayer.width = raster.width;
    this.maskLayer.height = raster.height;
    this.maskContext = this.maskLayer.getContext('2d')!;
    this.maskPixels = this.maskContext.createImageData(raster.width, raster.height);
    this.pixelCount = raster.count();
    this.refreshMask({ x0: 0, y0: 0, x1: raster.width, y1: raster.height });
    this.listen('pointerdown', (event) => this.onPointerDown(event as PointerEvent));
    this.listen('pointermove', (event) => this.onPointerMove(event as PointerEvent));
    this.listen('pointerup', (event) => this.onPointerUp(event as PointerEvent));
    this.listen('pointercancel', (event) => this.onPointerUp(event as PointerEvent));
    this.listen('pointerleave', () => {
      this.pointer = null;
      this.changed();
    });
    this.listen('wheel', (event) => this.onWheel(event as WheelEvent), { passive: false });
    this.listen('dblclick', () => this.closePolygon());
    // The middle button must not start the browser's autoscroll.
    this.listen('mousedown', (event) => {
      if ((event as MouseEvent).button === 1) event.preventDefault();
    });
    this.listen('contextmenu', (event) => event.preventDefault());
  }

  private listen(type: string, handler: (event: Event) => void, options?: AddEventListenerOptions): void {
    this.canvas.addEventListener(type, handler, options);
    this.cleanup.push(() => this.canvas.removeEventListener(type, handler, options));
  }

  destroy(): void {
    cancelAnimationFrame(this.frame);
    for (const remove of this.cleanup) remove();
  }

  snapshot(): StageSnapshot {
    const cursor = this.pointer ? this.toImage(this.pointer) : null;
    return {
      tool: this.tool,
      brushSize: this.brushSize,
      scale: this.scale,
      pixels: this.pixelCount,
      dirty: this.history.dirty,
      canUndo: this.history.canUndo,
      canRedo: this.history.canRedo,
      cursor: cursor ? { x: Math.floor(cursor.x), y: Math.floor(cursor.y) } : null,
      polygonPoints: this.polygon.length,
    };
  }

  // ----- settings -------------------------------------------------------------------------------------------

  setTool(tool: Tool): void {
    if (tool !== 'polygon') this.polygon = [];
    this.tool = tool;
    this.changed();
  }

  /** Brush diameter in image pixels. */
  setBrushSize(size: number): void {
    this.brushSize = Math.min(MAX_BRUSH, Math.max(MIN_BRUSH, Math.round(size)));
    this.changed();
  }

  /** [ and ]: about 20 % smaller or larger, at least one pixel. */
  stepBrushSize(direction: 1 | -1): void {
    this.setBrushSize(this.brushSize + direction * Math.max(1, Math.round(this.brushSize * 0.2)));
  }

  setMaskLayer(opacity: number, visible: boolean): void {
    this.maskOpacity = opacity;
    this.maskVisible = visible;
    this.changed();
  }

  /** The attention hint as an RGBA layer at the image's size (null: none). */
  setHint(pixels: ImageData | null): void {
    if (!pixels) {
      this.hintLayer = null;
    } else {
      this.hintLayer = document.createElement('canvas');
      this.hintLayer.width = pixels.width;
      this.hintLayer.height = pixels.height;
      this.hintLayer.getContext('2d')!.putImageData(pixels, 0, 0);
    }
    this.changed();
  }

  setHintLayer(opacity: number, visible: boolean): void {
    this.hintOpacity = opacity;
    this.hintVisible = visible;
    this.changed();
  }

  setSpaceHeld(held: boolean): void {
    this.spaceHeld = held;
    this.canvas.style.cursor = held ? 'grab' : '';
  }

  // ----- view -----------------------------------------------------------------------------------------------

  /** Follows the canvas's CSS size (call on resize); the backing store matches device pixels. */
  resize(): void {
    const ratio = window.devicePixelRatio || 1;
    const width = Math.max(1, this.canvas.clientWidth);
    const height = Math.max(1, this.canvas.clientHeight);
    const first = this.size.width === 1 && this.size.height === 1;
    this.size = { width, height, ratio };
    this.canvas.width = Math.round(width * ratio);
    this.canvas.height = Math.round(height * ratio);
    if (first) this.fit();
    else this.changed();
  }

  /** The whole image in view, centred. */
  fit(): void {
    const { width, height } = this.size;
    this.scale = Math.min(MAX_SCALE, 0.94 * Math.min(width / this.raster.width, height / this.raster.height) || 1);
    this.offset = {
      x: (width - this.raster.width * this.scale) / 2,
      y: (height - this.raster.height * this.scale) / 2,
    };
    this.changed();
  }

  /** Zooms by `factor` keeping the image point under `at` (screen, CSS pixels) in place. */
  zoomBy(factor: number, at: Point = { x: this.size.width / 2, y: this.size.height / 2 }): void {
    const fitScale = Math.min(this.size.width / this.raster.width, this.size.height / this.raster.height);
    const next = Math.min(MAX_SCALE, Math.max(fitScale / 4, this.scale * factor));
    const anchor = this.toImage(at);
    this.scale = next;
    this.offset = { x: at.x - anchor.x * next, y: at.y - anchor.y * next };
    this.changed();
  }

  private toImage(point: Point): Point {
    return { x: (point.x - this.offset.x) / this.scale, y: (point.y - this.offset.y) / this.scale };
  }

  private local(event: PointerEvent | WheelEvent): Point {
    const box = this.canvas.getBoundingClientRect();
    return { x: event.clientX - box.left, y: event.clientY - box.top };
  }

  // ----- editing --------------------------------------------------------------------------------------------

  undo(): boolean {
    const stroke = this.history.undo();
    if (!stroke) return false;
    this.afterEdit(this.raster.undo(stroke));
    return true;
  }

  redo(): boolean {
    const stroke = this.history.redo();
    if (!stroke) return false;
    this.afterEdit(this.raster.redo(stroke));
    return true;
  }

  /** Takes another mask ('set') or adds it to this one ('add') as one undoable step. */
  replaceMask(data: Uint8Array, mode: 'set' | 'add'): void {
    const stroke = this.raster.replace(data, mode);
    if (!stroke) return;
    this.history.push(stroke);
    this.afterEdit(this.raster.bounds(stroke));
  }

  markSaved(): void {
    this.history.markSaved();
    this.changed();
  }

  closePolygon(): void {
    if (this.tool !== 'polygon' || this.polygon.length < 3 || !this.options.editable) return;
    this.raster.begin(1);
    const rect = this.raster.polygon(this.polygon);
    this.polygon = [];
    this.finishStroke(rect);
  }

  cancelPolygon(): boolean {
    if (this.polygon.length === 0) return false;
    this.polygon = [];
    this.changed();
    return true;
  }

  removeLastVertex(): boolean {
    if (this.polygon.length === 0) return false;
    this.polygon.pop();
    this.changed();
    return true;
  }

  private finishStroke(rect: Rect | null): void {
    const stroke = this.raster.end();
    if (stroke) this.history.push(stroke);
    if (rect) this.afterEdit(rect);
    else this.changed();
  }

  private afterEdit(rect: Rect): void {
    this.refreshMask(rect);
    this.pixelCount = this.raster.count();
    this.changed();
  }

  private paintAt(from: Point, to: Point): Rect | null {
    return this.raster.segment(from.x, from.y, to.x, to.y, this.brushSize / 2);
  }

  private onPointerDown(event: PointerEvent): void {
    this.canvas.focus();
    const at = this.local(event);
    this.pointer = at;
    if (event.button === 1 || (event.button === 0 && this.spaceHeld)) {
      event.preventDefault();
      this.drag = { kind: 'pan', x: at.x, y: at.y };
      this.canvas.setPointerCapture(event.pointerId);
      this.canvas.style.cursor = 'grabbing';
      return;
    }
    if (event.button !== 0 || !this.options.editable) return;
    const point = this.toImage(at);
    if (this.tool === 'polygon') {
      const first = this.polygon[0];
      // A click on the first vertex closes the shape (within 8 screen pixels).
      if (first && this.polygon.length >= 3 && Math.hypot(first.x - point.x, first.y - point.y) * this.scale < 8) {
        this.closePolygon();
      } else {
        this.polygon.push(point);
        this.changed();
      }
      return;
    }
    this.canvas.setPointerCapture(event.pointerId);
    this.raster.begin(this.tool === 'eraser' ? 0 : 1);
    const rect = this.paintAt(point, point);
    this.drag = { kind: 'paint', last: point };
    if (rect) this.refreshMask(rect);
    this.changed();
  }

  private onPointerMove(event: PointerEvent): void {
    const at = this.local(event);
    this.pointer = at;
    if (this.drag?.kind === 'pan') {
      this.offset = { x: this.offset.x + at.x - this.drag.x, y: this.offset.y + at.y - this.drag.y };
      this.drag = { kind: 'pan', x: at.x, y: at.y };
    } else if (this.drag?.kind === 'paint') {
      // Coalesced events keep fast strokes smooth when the browser batches moves into one frame.
      const moves = typeof event.getCoalescedEvents === 'function' ? event.getCoalescedEvents() : [];
      let rect: Rect | null = null;
      let last = this.drag.last;
      for (const move of moves.length > 0 ? moves : [event]) {
        const point = this.toImage(this.local(move));
        rect = union(rect, this.paintAt(last, point));
        last = point;
      }
      this.drag = { kind: 'paint', last };
      if (rect) this.refreshMask(rect);
    }
    this.changed();
  }

  private onPointerUp(event: PointerEvent): void {
    if (this.canvas.hasPointerCapture(event.pointerId)) this.canvas.releasePointerCapture(event.pointerId);
    const drag = this.drag;
    this.drag = null;
    if (drag?.kind === 'pan') {
      this.canvas.style.cursor = this.spaceHeld ? 'grab' : '';
      this.changed();
    } else if (drag?.kind === 'paint') {
      this.finishStroke(null);
      this.pixelCount = this.raster.count();
      this.changed();
    }
  }

  private onWheel(event: WheelEvent): void {
    event.preventDefault();
    const delta = event.deltaMode === 1 ? event.deltaY * 16 : event.deltaY;
    this.zoomBy(Math.exp(-delta * 0.0015), this.local(event));
  }

  // ----- drawing --------------------------------------------------------------------------------------------

  /** Copies a rectangle of the mask into its coloured layer. */
  private refreshMask(rect: Rect): void {
    const { data, width } = this.raster;
    const pixels = this.maskPixels.data;
    for (let y = rect.y0; y < rect.y1; y++) {
      for (let x = rect.x0; x < rect.x1; x++) {
        const i = y * width + x;
        const on = data[i] === 1;
        pixels[i * 4] = MASK_COLOUR[0];
        pixels[i * 4 + 1] = MASK_COLOUR[1];
        pixels[i * 4 + 2] = MASK_COLOUR[2];
        pixels[i * 4 + 3] = on ? 255 : 0;
      }
    }
    this.maskContext.putImageData(this.maskPixels, 0, 0, rect.x0, rect.y0, rect.x1 - rect.x0, rect.y1 - rect.y0);
  }

  private changed(): void {
    if (!this.frame) this.frame = requestAnimationFrame(() => this.draw());
  }

  private draw(): void {
    this.frame = 0;
    const { context, size } = this;
    const { ratio } = size;
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.clearRect(0, 0, size.width, size.height);
    context.setTransform(ratio * this.scale, 0, 0, ratio * this.scale, ratio * this.offset.x, ratio * this.offset.y);
    // Zoomed in, annotators need to see the real pixels; zoomed out, smoothing reads better.
    context.imageSmoothingEnabled = this.scale < 2;
    context.drawImage(this.image, 0, 0, this.raster.width, this.raster.height);
    if (this.hintLayer && this.hintVisible && this.hintOpacity > 0) {
      context.globalAlpha = this.hintOpacity;
      context.drawImage(this.hintLayer, 0, 0);
    }
    if (this.maskVisible && this.maskOpacity > 0) {
      context.imageSmoothingEnabled = false;
      context.globalAlpha = this.maskOpacity;
      context.drawImage(this.maskLayer, 0, 0);
    }
    context.globalAlpha = 1;
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    this.drawOverlay();
    this.options.onChange(this.snapshot());
  }

  /** Brush outline and the polygon being drawn, in screen space so they stay thin at any zoom. */
  private drawOverlay(): void {
    const { context } = this;
    const screen = (point: Point) => ({
      x: point.x * this.scale + this.offset.x,
      y: point.y * this.scale + this.offset.y,
    });
    if (this.polygon.length > 0) {
      context.strokeStyle = '#ffd54a';
      context.lineWidth = 1.5;
      context.beginPath();
      this.polygon.forEach((point, index) => {
        const at = screen(point);
        if (index === 0) context.moveTo(at.x, at.y);
        else context.lineTo(at.x, at.y);
      });
      if (this.pointer) context.lineTo(this.pointer.x, this.pointer.y);
      context.stroke();
      context.fillStyle = '#ffd54a';
      for (const point of this.polygon) {
        const at = screen(point);
        context.fillRect(at.x - 3, at.y - 3, 6, 6);
      }
    }
    if (
      this.pointer &&
      this.options.editable &&
      this.tool !== 'polygon' &&
      !this.spaceHeld &&
      this.drag?.kind !== 'pan'
    ) {
      const radius = Math.max(1, (this.brushSize / 2) * this.scale);
      context.beginPath();
      context.arc(this.pointer.x, this.pointer.y, radius, 0, Math.PI * 2);
      context.lineWidth = 2;
      context.strokeStyle = 'rgba(0, 0, 0, 0.6)';
      context.stroke();
      context.lineWidth = 1;
      context.strokeStyle = this.tool === 'eraser' ? '#9ad0ff' : '#ffffff';
      context.stroke();
    }
  }
}
