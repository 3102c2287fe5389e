// One zoom and pan shared by several panels of the same image (the compare page's maps across runs). Offsets are
// fractions of a panel's size, not pixels, so panels of different widths show the same part of the image. Pure, so
// the sync can be checked without a browser.

export interface SyncedView {
  /** Magnification: 1 = the whole image fills the panel. */
  scale: number;
  /** Where the image's top-left corner sits, as a fraction of the panel's width and height (0 or less). */
  x: number;
  y: number;
}

export const FIT_VIEW: SyncedView = { scale: 1, x: 0, y: 0 };
export const MAX_SCALE = 32;

/** Keeps the image over the whole panel: no zooming out past fit, no panning off an edge. */
function clamp(view: SyncedView): SyncedView {
  const scale = Math.min(MAX_SCALE, Math.max(1, view.scale));
  const limit = 1 - scale;
  return {
    scale,
    x: Math.min(0, Math.max(limit, view.x)),
    y: Math.min(0, Math.max(limit, view.y)),
  };
}

/** Zooms by `factor`, keeping the image point under `at` (fractions of the panel, 0-1) where it is. */
export function zoomAt(view: SyncedView, factor: number, at: { x: number; y: number } = { x: 0.5, y: 0.5 }) {
  const scale = Math.min(MAX_SCALE, Math.max(1, view.scale * factor));
  // The image point under `at`, in fractions of the image: it stays under `at`.
  const px = (at.x - view.x) / view.scale;
  const py = (at.y - view.y) / view.scale;
  return clamp({ scale, x: at.x - px * scale, y: at.y - py * scale });
}

/** Moves the image by (dx, dy) fractions of the panel. */
export function panBy(view: SyncedView, dx: number, dy: number): SyncedView {
  return clamp({ ...view, x: view.x + dx, y: view.y + dy });
}

/** The CSS transform of the image inside its panel (origin at the top-left corner). */
export function viewTransform(view: SyncedView): string {
  return `translate(${(view.x * 100).toFixed(3)}%, ${(view.y * 100).toFixed(3)}%) scale(${view.scale.toFixed(4)})`;
}
