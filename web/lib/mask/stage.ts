// The editor's drawing surface: the image, the optional attention hint and the mask on one canvas. It turns the
// canvas's pointer and wheel events into tool actions (MaskTools), zoom and pan (Viewport), and redraws once a
// frame. Imperative on purpose: pointer moves paint and redraw without going through React.
import type { StrokeHistory } from './history';
import { StageLayers } from './layers';
import { drawBrushOutline, drawPolygon } from './overlay';
import type { MaskRaster, Rect } from './raster';
import { MaskTools, type Tool } from './tools';
import { Viewport, type Point } from './viewport';

export type { Tool } from './tools';

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
  /** Counts the edits of the mask: a change means its pixels may have changed (kept drafts follow it). */
  revision: number;
  /** No drawing: a saved version is shown instead of the mask, or a hint is being thresholded. */
  locked: boolean;
}

export class MaskStage {
  private readonly context: CanvasRenderingContext2D;
  private readonly layers: StageLayers;
  private readonly tools: MaskTools;
  private readonly view: Viewport;
  private spaceHeld = false;
  /** The pointer on the canvas (CSS pixels), null when it is outside. */
  private pointer: Point | null = null;
  /** Where the last pan move was, while the image is being dragged. */
  private panFrom: Point | null = null;
  private frame = 0;
  private cleanup: (() => void)[] = [];
  private revision = 0;
  private locked = false;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    image: HTMLImageElement,
    raster: MaskRaster,
    private readonly history: StrokeHistory,
    private readonly options: { editable: boolean; onChange: (snapshot: StageSnapshot) => void },
  ) {
    this.context = canvas.getContext('2d')!;
    this.layers = new StageLayers(image, raster);
    this.tools = new MaskTools(raster, history);
    this.view = new Viewport(raster.width, raster.height);
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
    const cursor = this.pointer ? this.view.toImage(this.pointer) : null;
    return {
      tool: this.tools.tool,
      brushSize: this.tools.brushSize,
      scale: this.view.scale,
      pixels: this.tools.pixels,
      dirty: this.history.dirty,
      canUndo: this.history.canUndo,
      canRedo: this.history.canRedo,
      cursor: cursor ? { x: Math.floor(cursor.x), y: Math.floor(cursor.y) } : null,
      polygonPoints: this.tools.polygon.length,
      revision: this.revision,
      locked: this.locked,
    };
  }

  // ----- settings -------------------------------------------------------------------------------------------

  setTool(tool: Tool): void {
    this.tools.setTool(tool);
    this.changed();
  }

  /** Brush diameter in image pixels. */
  setBrushSize(size: number): void {
    this.tools.setBrushSize(size);
    this.changed();
  }

  stepBrushSize(direction: 1 | -1): void {
    this.tools.stepBrushSize(direction);
    this.changed();
  }

  setMaskLayer(opacity: number, visible: boolean): void {
    Object.assign(this.layers.mask, { opacity, visible });
    this.changed();
  }

  /** The attention hint as an RGBA layer at the image's size (null: none). */
  setHint(pixels: ImageData | null): void {
    this.layers.setHint(pixels);
    this.changed();
  }

  setHintLayer(opacity: number, visible: boolean): void {
    Object.assign(this.layers.hint, { opacity, visible });
    this.changed();
  }

  /** Stops (or allows again) drawing on the canvas; a polygon being drawn is dropped. */
  setLocked(locked: boolean): void {
    this.locked = locked;
    if (locked) this.tools.cancelPolygon();
    this.changed();
  }

  get isLocked(): boolean {
    return this.locked;
  }

  /** Shows a saved version's pixels (one byte per pixel) instead of the mask being edited; null: the mask again. */
  showVersion(data: Uint8Array | null): void {
    this.layers.showVersion(data);
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
    const first = this.view.resize(this.canvas.clientWidth, this.canvas.clientHeight, ratio);
    this.canvas.width = Math.round(this.view.width * ratio);
    this.canvas.height = Math.round(this.view.height * ratio);
    if (first) this.fit();
    else this.changed();
  }

  fit(): void {
    this.view.fit();
    this.changed();
  }

  /** Zooms by `factor` keeping the image point under `at` (screen, CSS pixels; the centre by default) in place. */
  zoomBy(factor: number, at?: Point): void {
    this.view.zoomBy(factor, at);
    this.changed();
  }

  private local(event: PointerEvent | WheelEvent): Point {
    const box = this.canvas.getBoundingClientRect();
    return { x: event.clientX - box.left, y: event.clientY - box.top };
  }

  // ----- editing --------------------------------------------------------------------------------------------

  undo(): boolean {
    return this.edited(this.tools.undo());
  }

  redo(): boolean {
    return this.edited(this.tools.redo());
  }

  /** Takes `data` as the mask ('set') or adds it ('add'), one undoable step; false when nothing changed. */
  replaceMask(data: Uint8Array, mode: 'set' | 'add'): boolean {
    return this.edited(this.tools.replaceMask(data, mode));
  }

  /** The mask's pixels now (one byte per pixel, 1 = defective), as a copy. */
  maskPixels(): Uint8Array {
    return this.tools.pixelsCopy();
  }

  markSaved(): void {
    this.history.markSaved();
    this.changed();
  }

  closePolygon(): void {
    this.edited(this.tools.closePolygon());
  }

  cancelPolygon(): boolean {
    if (!this.tools.cancelPolygon()) return false;
    this.changed();
    return true;
  }

  removeLastVertex(): boolean {
    if (!this.tools.removeLastVertex()) return false;
    this.changed();
    return true;
  }

  /** Redraws what `rect` covers of the mask; false when there was nothing to redraw. */
  private edited(rect: Rect | null): boolean {
    if (rect) {
      this.layers.refreshMask(rect);
      this.revision += 1;
    }
    this.changed();
    return rect !== null;
  }

  private onPointerDown(event: PointerEvent): void {
    this.canvas.focus();
    const at = this.local(event);
    this.pointer = at;
    if (event.button === 1 || (event.button === 0 && this.spaceHeld)) {
      event.preventDefault();
      this.panFrom = at;
      this.canvas.setPointerCapture(event.pointerId);
      this.canvas.style.cursor = 'grabbing';
      return;
    }
    if (event.button !== 0 || !this.options.editable || this.locked) return;
    if (this.tools.tool !== 'polygon') this.canvas.setPointerCapture(event.pointerId);
    this.edited(this.tools.press(this.view.toImage(at), this.view.scale));
  }

  private onPointerMove(event: PointerEvent): void {
    const at = this.local(event);
    this.pointer = at;
    if (this.panFrom) {
      this.view.panBy(at.x - this.panFrom.x, at.y - this.panFrom.y);
      this.panFrom = at;
    } else if (this.tools.painting) {
      // Coalesced events keep fast strokes smooth when the browser batches moves into one frame.
      const moves = typeof event.getCoalescedEvents === 'function' ? event.getCoalescedEvents() : [];
      const points = (moves.length > 0 ? moves : [event]).map((move) => this.view.toImage(this.local(move)));
      const rect = this.tools.drag(points);
      if (rect) this.layers.refreshMask(rect);
    }
    this.changed();
  }

  private onPointerUp(event: PointerEvent): void {
    if (this.canvas.hasPointerCapture(event.pointerId)) this.canvas.releasePointerCapture(event.pointerId);
    if (this.panFrom) {
      this.panFrom = null;
      this.canvas.style.cursor = this.spaceHeld ? 'grab' : '';
      this.changed();
    } else if (this.tools.painting) {
      this.tools.release();
      // Counted once per stroke, at its end, not per move: the panels (and React) follow the revision.
      this.revision += 1;
      this.changed();
    }
  }

  private onWheel(event: WheelEvent): void {
    event.preventDefault();
    const delta = event.deltaMode === 1 ? event.deltaY * 16 : event.deltaY;
    this.zoomBy(Math.exp(-delta * 0.0015), this.local(event));
  }

  // ----- drawing --------------------------------------------------------------------------------------------

  private changed(): void {
    if (!this.frame) this.frame = requestAnimationFrame(() => this.draw());
  }

  private draw(): void {
    this.frame = 0;
    const { context, view, pointer } = this;
    this.layers.draw(context, view);
    drawPolygon(context, view, this.tools.polygon, pointer);
    const { tool, brushSize } = this.tools;
    if (pointer && this.options.editable && !this.locked && tool !== 'polygon' && !this.spaceHeld && !this.panFrom)
      drawBrushOutline(context, pointer, (brushSize / 2) * view.scale, tool === 'eraser');
    this.options.onChange(this.snapshot());
  }
}
