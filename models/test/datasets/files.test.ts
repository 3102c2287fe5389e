import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { compareNames, indexMasks, isImageFile, stem, summarizeNames } from '../../src';

describe('file helpers', () => {
  it('recognises image extensions in any case', () => {
    assert.ok(['a.png', 'b.JPG', 'c.jpeg', 'd.bmp', 'e.TIF', 'f.tiff'].every(isImageFile));
    assert.ok(!['notes.txt', 'depth.xyz', 'png'].some(isImageFile));
  });

  it('sorts names numerically', () => {
    assert.deepEqual(['10.png', '2.png', '1.png'].sort(compareNames), ['1.png', '2.png', '10.png']);
  });

  it('indexes masks by image name under both naming conventions', () => {
    const index = indexMasks(['/gt/000_mask.png', '/gt/001.png', '/gt/a.b_mask.bmp']);
    assert.deepEqual(
      [...index.entries()],
      [
        ['000', '/gt/000_mask.png'],
        ['001', '/gt/001.png'],
        ['a.b', '/gt/a.b_mask.bmp'],
      ],
    );
    assert.throws(
      () => indexMasks(['/gt/7.png', '/gt/7_mask.png']),
      /7_mask\.png: two masks for image "7": 7\.png and 7_mask\.png/,
    );
    assert.equal(stem('/x/y/003.tiff'), '003');
  });

  it('shortens long name lists', () => {
    assert.equal(summarizeNames(['a', 'b']), 'a, b');
    assert.equal(summarizeNames(['a', 'b', 'c', 'd'], 2), 'a, b and 2 more');
  });
});
