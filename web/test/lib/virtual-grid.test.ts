import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { gridLayout, visibleRange } from '../../lib/virtual-grid';

const SIZES = { minTile: 150, gap: 10, caption: 26 };

describe('gridLayout', () => {
  it('fits as many columns of at least the minimum width as the width allows, stretched to fill it', () => {
    const layout = gridLayout(1000, SIZES);
    assert.equal(layout.columns, 6);
    assert.ok(layout.tileWidth >= 150);
    assert.equal(Math.round(layout.columns * layout.tileWidth + (layout.columns + 1) * 10), 1000);
    assert.equal(layout.rowHeight, layout.tileWidth + 26 + 10);
  });

  it('keeps one column in a narrow (or not yet measured) container', () => {
    assert.equal(gridLayout(100, SIZES).columns, 1);
    assert.equal(gridLayout(0, SIZES).columns, 1);
  });
});

describe('visibleRange', () => {
  const layout = { columns: 4, tileWidth: 100, rowHeight: 100 };

  it('covers the rows in view plus the overscan, in whole rows', () => {
    // Rows 5..9 are in view (scrollTop 500, 450 px high); two more either side.
    assert.deepEqual(visibleRange(layout, 500, 450, 1000, 2), { start: 12, end: 48 });
  });

  it('never goes past the list or before its start', () => {
    assert.deepEqual(visibleRange(layout, 0, 300, 10, 2), { start: 0, end: 10 });
    assert.deepEqual(visibleRange(layout, 5000, 300, 10, 2), { start: 10, end: 10 });
  });

  it('renders a first screenful before the container is measured', () => {
    assert.deepEqual(visibleRange(layout, 0, 0, 100, 2), { start: 0, end: 12 });
  });
});
