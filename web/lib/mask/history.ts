import type { Stroke } from './raster';

/**
 * Undo and redo, one entry per stroke, and where the last save was: the mask has unsaved changes whenever the
 * position differs from it (undoing back to the saved state makes it clean again).
 */
export class StrokeHistory {
  private done: Stroke[] = [];
  private undone: Stroke[] = [];
  /** Position (number of done strokes) at the last save or load; -1 when that state is no longer reachable. */
  private savedAt = 0;

  constructor(private readonly limit = 200) {}

  push(stroke: Stroke): void {
    this.done.push(stroke);
    this.undone = [];
    if (this.savedAt > this.done.length - 1) this.savedAt = -1;
    if (this.done.length > this.limit) {
      this.done.shift();
      this.savedAt = this.savedAt > 0 ? this.savedAt - 1 : -1;
    }
  }

  /** The stroke to revert, or null when there is nothing to undo. */
  undo(): Stroke | null {
    const stroke = this.done.pop() ?? null;
    if (stroke) this.undone.push(stroke);
    return stroke;
  }

  redo(): Stroke | null {
    const stroke = this.undone.pop() ?? null;
    if (stroke) this.done.push(stroke);
    return stroke;
  }

  get canUndo(): boolean {
    return this.done.length > 0;
  }

  get canRedo(): boolean {
    return this.undone.length > 0;
  }

  get dirty(): boolean {
    return this.savedAt !== this.done.length;
  }

  markSaved(): void {
    this.savedAt = this.done.length;
  }

  get size(): number {
    return this.done.length;
  }
}
