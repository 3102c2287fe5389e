import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { StrokeHistory } from '../../../lib/mask/history';
import type { Stroke } from '../../../lib/mask/raster';

const stroke = (index = 0): Stroke => ({
  indices: new Uint32Array([index]),
  previous: new Uint8Array([0]),
  next: new Uint8Array([1]),
});

describe('StrokeHistory', () => {
  it('starts empty and clean', () => {
    const history = new StrokeHistory();
    assert.equal(history.canUndo, false);
    assert.equal(history.canRedo, false);
    assert.equal(history.dirty, false);
    assert.equal(history.undo(), null);
    assert.equal(history.redo(), null);
  });

  it('undoes and redoes one stroke at a time, last in first out', () => {
    const history = new StrokeHistory();
    const [a, b] = [stroke(1), stroke(2)];
    history.push(a);
    history.push(b);
    assert.equal(history.undo(), b);
    assert.equal(history.undo(), a);
    assert.equal(history.canUndo, false);
    assert.equal(history.redo(), a);
    assert.equal(history.redo(), b);
    assert.equal(history.canRedo, false);
    assert.equal(history.size, 2);
  });

  it('drops what was undone when a new stroke comes', () => {
    const history = new StrokeHistory();
    const [a, b, c] = [stroke(1), stroke(2), stroke(3)];
    history.push(a);
    history.push(b);
    history.undo();
    assert.equal(history.canRedo, true);
    history.push(c);
    assert.equal(history.canRedo, false);
    assert.equal(history.redo(), null);
    assert.equal(history.undo(), c);
    assert.equal(history.undo(), a);
    assert.equal(history.undo(), null);
  });

  it('is dirty exactly when the mask differs from the last save, undo back to it included', () => {
    const history = new StrokeHistory();
    history.push(stroke());
    assert.equal(history.dirty, true);
    history.markSaved();
    assert.equal(history.dirty, false);
    history.push(stroke());
    assert.equal(history.dirty, true);
    history.undo();
    assert.equal(history.dirty, false, 'back at the saved state');
    history.undo();
    assert.equal(history.dirty, true, 'before the saved state');
    history.redo();
    assert.equal(history.dirty, false, 'redone to the saved state');
  });

  it('stays dirty once the saved state can no longer be reached', () => {
    const history = new StrokeHistory();
    history.push(stroke());
    history.markSaved();
    history.undo();
    history.push(stroke());
    assert.equal(history.dirty, true);
    history.undo();
    assert.equal(history.dirty, true, 'same number of strokes as at the save, but not the same strokes');
    history.redo();
    assert.equal(history.dirty, true);
  });

  it('keeps at most `limit` strokes, dropping the oldest', () => {
    const history = new StrokeHistory(3);
    const strokes = [1, 2, 3, 4, 5].map(stroke);
    for (const entry of strokes) history.push(entry);
    assert.equal(history.size, 3);
    assert.deepEqual(
      [history.undo(), history.undo(), history.undo(), history.undo()],
      [...strokes.slice(2).reverse(), null],
    );
  });

  it('follows the saved state as old strokes are dropped, and forgets it when it is dropped itself', () => {
    const history = new StrokeHistory(2);
    history.push(stroke());
    history.push(stroke());
    history.markSaved();
    history.push(stroke());
    history.undo();
    assert.equal(history.dirty, false, 'the saved state moved down with the dropped stroke');

    const dropped = new StrokeHistory(2);
    dropped.markSaved();
    for (let i = 0; i < 3; i++) dropped.push(stroke());
    while (dropped.undo());
    assert.equal(dropped.dirty, true, 'the empty mask that was saved is out of reach');
  });
});
