// The mask being edited: one byte per image pixel (1 = defective), changed by strokes that remember what they
// overwrote, so undo and redo restore exactly. Pure and allocation-light, for 1024 x 1024 images at 60 fps.

/** What one stroke (a brush drag, an eraser drag, a polygon, a merge) changed: pixels, old and new values. */
export interface Stroke {
  indices: Uint32Array;
  previous: Uint8Array;
  next: Uint8Array;
}

/** A dirty rectangle in image pixels, inclusive-exclusive. */
export interface Rect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export class MaskRaster {
  readonly data: Uint8Array;
  private touched: Uint32Array;
  private strokeId = 0;
  private indices: number[] = [];
  private previous: number[] = [];
  private value: 0 | 1 = 1;

  constructor(
    readonly width: number,
    readonly height: number,
    data?: Uint8Array,
  ) {
    if (data && data.length !== width * height)
      throw new RangeError(`a ${width} x ${height} mask needs ${width * height} values`);
    this.data = data ? Uint8Array.from(data) : new Uint8Array(width * height);
    this.touched = new Uint32Array(width * height);
  }

  /** Starts a stroke that sets pixels to `value`. */
  begin(value: 0 | 1): void {
    this.strokeId += 1;
    this.value = value;
    this.indices = [];
    this.previous = [];
  }

  private set(index: number): void {
    if (this.touched[index] === this.strokeId) return;
    this.touched[index] = this.strokeId;
    const old = this.data[index]!;
    if (old === this.value) return;
    this.indices.push(index);
    this.previous.push(old);
    this.data[index] = this.value;
  }

  /** Paints a disc of `radius` pixels around (cx, cy), in image coordinates; returns the rectangle it covered. */
  disc(cx: number, cy: number, radius: number): Rect | null {
    const r = Math.max(0.5, radius);
    const x0 = Math.max(0, Math.floor(cx - r));
    const x1 = Math.min(this.width, Math.ceil(cx + r) + 1);
    const y0 = Math.max(0, Math.floor(cy - r));
    const y1 = Math.min(this.height, Math.ceil(cy + r) + 1);
    if (x0 >= x1 || y0 >= y1) return null;
    const r2 = r * r;
    let covered = false;
    for (let y = y0; y < y1; y++) {
      const dy = y + 0.5 - cy;
      for (let x = x0; x < x1; x++) {
        const dx = x + 0.5 - cx;
        if (dx * dx + dy * dy > r2) continue;
        this.set(y * this.width + x);
        covered = true;
      }
    }
    // A 1 px brush between pixel centres covers none of them: it paints the pixel the point is in.
    const [px, py] = [Math.floor(cx), Math.floor(cy)];
    if (!covered && px >= 0 && px < this.width && py >= 0 && py < this.height) this.set(py * this.width + px);
    return { x0, y0, x1, y1 };
  }

  /** Paints discs along a segment, close enough together to leave no gaps. */
  segment(ax: number, ay: number, bx: number, by: number, radius: number): Rect | null {
    const length = Math.hypot(bx - ax, by - ay);
    const steps = Math.max(1, Math.ceil(length / Math.max(0.5, radius / 2)));
    let rect: Rect | null = null;
    for (let step = 0; step <= steps; step++) {
      const t = step / steps;
      rect = union(rect, this.disc(ax + (bx - ax) * t, ay + (by - ay) * t, radius));
    }
    return rect;
  }

  /** Fills a polygon (even-odd rule, pixel centres) given in image coordinates. */
  polygon(points: readonly { x: number; y: number }[]): Rect | null {
    if (points.length < 3) return null;
    const ys = points.map((point) => point.y);
    const y0 = Math.max(0, Math.floor(Math.min(...ys)));
    const y1 = Math.min(this.height, Math.ceil(Math.max(...ys)) + 1);
    let rect: Rect | null = null;
    const crossings: number[] = [];
    for (let y = y0; y < y1; y++) {
      const sy = y + 0.5;
      crossings.length = 0;
      for (let i = 0; i < points.length; i++) {
        const a = points[i]!;
        const b = points[(i + 1) % points.length]!;
        if (a.y <= sy === b.y <= sy) continue;
        crossings.push(a.x + ((sy - a.y) / (b.y - a.y)) * (b.x - a.x));
      }
      crossings.sort((p, q) => p - q);
      for (let k = 0; k + 1 < crossings.length; k += 2) {
        const from = Math.max(0, Math.ceil(crossings[k]! - 0.5));
        const to = Math.min(this.width - 1, Math.floor(crossings[k + 1]! - 0.5));
        for (let x = from; x <= to; x++) this.set(y * this.width + x);
        if (from <= to) rect = union(rect, { x0: from, y0: y, x1: to + 1, y1: y + 1 });
      }
    }
    return rect;
  }

  /** Ends the stroke: what it changed (null when nothing changed, so it need not enter the history). */
  end(): Stroke | null {
    if (this.indices.length === 0) return null;
    const stroke = {
      indices: Uint32Array.from(this.indices),
      previous: Uint8Array.from(this.previous),
      next: new Uint8Array(this.indices.length).fill(this.value),
    };
    this.indices = [];
    this.previous = [];
    return stroke;
  }

  undo(stroke: Stroke): Rect {
    for (let i = 0; i < stroke.indices.length; i++) this.data[stroke.indices[i]!] = stroke.previous[i]!;
    return this.bounds(stroke);
  }

  redo(stroke: Stroke): Rect {
    for (let i = 0; i < stroke.indices.length; i++) this.data[stroke.indices[i]!] = stroke.next[i]!;
    return this.bounds(stroke);
  }

  /**
   * Makes the mask `incoming` ('set'), or adds `incoming` to it ('add'), as one stroke, so that loading or
   * merging someone else's version can be undone like any edit.
   */
  replace(incoming: Uint8Array, mode: 'set' | 'add'): Stroke | null {
    const indices: number[] = [];
    const previous: number[] = [];
    const next: number[] = [];
    for (let i = 0; i < incoming.length; i++) {
      const target = mode === 'add' ? this.data[i]! | incoming[i]! : incoming[i]!;
      if (target === this.data[i]) continue;
      indices.push(i);
      previous.push(this.data[i]!);
      next.push(target);
      this.data[i] = target;
    }
    if (indices.length === 0) return null;
    return { indices: Uint32Array.from(indices), previous: Uint8Array.from(previous), next: Uint8Array.from(next) };
  }

  count(): number {
    let total = 0;
    for (let i = 0; i < this.data.length; i++) total += this.data[i]!;
    return total;
  }

  bounds(stroke: Stroke): Rect {
    let x0 = this.width;
    let y0 = this.height;
    let x1 = 0;
    let y1 = 0;
    for (let i = 0; i < stroke.indices.length; i++) {
      const index = stroke.indices[i]!;
      const x = index % this.width;
      const y = (index - x) / this.width;
      if (x < x0) x0 = x;
      if (y < y0) y0 = y;
      if (x + 1 > x1) x1 = x + 1;
      if (y + 1 > y1) y1 = y + 1;
    }
    return { x0, y0, x1, y1 };
  }
}

export function union(a: Rect | null, b: Rect | null): Rect | null {
  if (!a) return b;
  if (!b) return a;
  return { x0: Math.min(a.x0, b.x0), y0: Math.min(a.y0, b.y0), x1: Math.max(a.x1, b.x1), y1: Math.max(a.y1, b.y1) };
}
