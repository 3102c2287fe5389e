// Geometry of a virtualised grid of square tiles: pure, so it is tested without a browser.

export interface GridLayout {
  columns: number;
  tileWidth: number;
  /** Tile height plus the gap below it. */
  rowHeight: number;
}

/** As many columns of at least `minTile` px as fit in `width`, stretched to fill it. */
export function gridLayout(width: number, sizes: { minTile: number; gap: number; caption: number }): GridLayout {
  const { minTile, gap, caption } = sizes;
  const columns = Math.max(1, Math.floor((width - gap) / (minTile + gap)));
  const tileWidth = Math.max(minTile / 2, (width - gap * (columns + 1)) / columns);
  return { columns, tileWidth, rowHeight: tileWidth + caption + gap };
}

/** Indices [start, end) of the items whose rows are in view, plus `overscan` rows either side. */
export function visibleRange(
  layout: GridLayout,
  scrollTop: number,
  viewportHeight: number,
  total: number,
  overscan: number,
): { start: number; end: number } {
  if (total === 0 || viewportHeight <= 0) return { start: 0, end: Math.min(total, layout.columns * (overscan + 1)) };
  const firstRow = Math.max(0, Math.floor(scrollTop / layout.rowHeight) - overscan);
  const lastRow = Math.ceil((scrollTop + viewportHeight) / layout.rowHeight) + overscan;
  return { start: Math.min(total, firstRow * layout.columns), end: Math.min(total, lastRow * layout.columns) };
}
