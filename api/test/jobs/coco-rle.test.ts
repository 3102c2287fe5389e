// COCO's RLE as pycocotools writes it (issue 13): column-major counts, the compressed string with its deltas and
// sign bits, polygons rasterised like rleFrPoly, and the file-name matching that exports and mask imports share.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { mulberry32 } from '@vad/models';

import { countsFromString, countsToString, decodeRle, encodeRle, polygonRle, RleError } from '../../src/jobs/coco-rle';
import { ImageMatcher, maskFileKey, mvtecMaskPath, type NamedImage } from '../../src/jobs/mask-files';
import { segmentationMask } from '../../src/jobs/mask-import-job';

/** A row-major mask from rows of 0/1 characters. */
function mask(rows: string[]): { data: Uint8Array; width: number; height: number } {
  const width = rows[0]!.length;
  return { data: Uint8Array.from(rows.join(''), (c) => (c === '1' ? 1 : 0)), width, height: rows.length };
}

describe('COCO RLE', () => {
  it('counts runs down the columns, starting with zeros', () => {
    const { data, width, height } = mask(['000', '010', '000']);
    assert.deepEqual(encodeRle(data, width, height), { size: [3, 3], counts: [4, 1, 4] });
    // A first pixel that is set starts with an empty run of zeros; column-major, not row-major.
    const corner = mask(['110', '000']);
    assert.deepEqual(encodeRle(corner.data, corner.width, corner.height).counts, [0, 1, 1, 1, 3]);
    const empty = new Uint8Array(12);
    assert.deepEqual(encodeRle(empty, 4, 3).counts, [12]);
  });

  it('writes the strings pycocotools writes, derived by hand from its rleToString', () => {
    // [4, 1, 4]: each count below 16 is one character, 48 + count.
    assert.equal(countsToString([4, 1, 4]), '414');
    // 4 rows x 11 columns, the first 10 columns set and the bottom pixel of the last: [0, 40, 3, 1].
    // 40 = 8 + 1 x 32 -> "X" (48 + 8 + 0x20: more follows), "1"; 3 -> "3"; the 4th count is a delta from the 2nd:
    // 1 - 40 = -39 = 25 + (-2) x 32 -> "i" (48 + 25 + 0x20), then -2's low 5 bits, 30 (sign bit 0x10 set) -> "N".
    const rows = ['1111111111' + '0', '1111111111' + '0', '1111111111' + '0', '1111111111' + '1'];
    const { data, width, height } = mask(rows);
    const rle = encodeRle(data, width, height);
    assert.deepEqual(rle, { size: [4, 11], counts: [0, 40, 3, 1] });
    assert.equal(countsToString(rle.counts), '0X13iN');
    assert.deepEqual(countsFromString('0X13iN'), [0, 40, 3, 1]);
    assert.deepEqual(decodeRle({ size: [4, 11], counts: countsFromString('0X13iN') }), data);
  });

  it('round-trips random masks through counts and strings, large runs and negative deltas included', () => {
    const next = mulberry32(13);
    for (let trial = 0; trial < 200; trial++) {
      const width = 1 + Math.floor(next() * 40);
      const height = 1 + Math.floor(next() * 40);
      const density = next();
      // Blobs as well as noise: long runs beside short ones make deltas of both signs.
      const data = Uint8Array.from({ length: width * height }, (_, i) =>
        next() < density || (i % width > width / 3 && i % width < width / 2) ? 1 : 0,
      );
      const rle = encodeRle(data, width, height);
      assert.equal(
        rle.counts.reduce((a, b) => a + b, 0),
        width * height,
      );
      const text = countsToString(rle.counts);
      assert.match(text, /^[0-o]*$/, 'characters 48 to 111 only');
      assert.deepEqual(countsFromString(text), rle.counts);
      assert.deepEqual(decodeRle({ size: rle.size, counts: countsFromString(text) }), data);
    }
    const counts = [0, 3_000_000, 1, 2_999_999, 70_000, 5, 1_048_576, 33, 31, 16];
    assert.deepEqual(countsFromString(countsToString(counts)), counts);
  });

  it('refuses counts that do not fit the size, and strings that are not compressed counts', () => {
    assert.throws(() => decodeRle({ size: [2, 2], counts: [3] }), RleError);
    assert.throws(() => decodeRle({ size: [2, 2], counts: [3, 2] }), RleError);
    assert.throws(() => countsFromString('4 1'), RleError);
    assert.throws(() => countsFromString('X'), /end in the middle/);
  });

  it("rasterises polygons like pycocotools' rleFrPoly", () => {
    // The square from (1, 1) to (4, 4) covers pixels 1 to 3: area 9, as pycocotools' frBbox([1, 1, 3, 3]) gives.
    const square = decodeRle(polygonRle([1, 1, 4, 1, 4, 4, 1, 4], 6, 6));
    assert.deepEqual(square, mask(['000000', '011100', '011100', '011100', '000000', '000000']).data);
    const triangle = decodeRle(polygonRle([0, 0, 6, 0, 0, 6], 6, 6));
    assert.deepEqual(triangle, mask(['111110', '111100', '111000', '110000', '100000', '000000']).data);
    // A segmentation of several polygons is their union; RLE segmentations are checked against the image size.
    const two = segmentationMask(
      [
        [0, 0, 2, 0, 2, 2, 0, 2],
        [4, 4, 6, 4, 6, 6, 4, 6],
      ],
      6,
      6,
    );
    assert.deepEqual(two, mask(['110000', '110000', '000000', '000000', '000011', '000011']).data);
    assert.throws(() => segmentationMask({ size: [5, 6], counts: '414' }, 6, 6), /6 x 5.*image is 6 x 6/);
    assert.deepEqual(segmentationMask({ size: [3, 3], counts: [4, 1, 4] }, 3, 3), mask(['000', '010', '000']).data);
    assert.deepEqual(segmentationMask({ size: [3, 3], counts: '414' }, 3, 3), mask(['000', '010', '000']).data);
  });
});

describe('mask file names', () => {
  const image = (name: string, defectType: string, split: 'TRAIN' | 'TEST' = 'TEST'): NamedImage => ({
    id: name,
    name,
    split,
    defectType,
    width: 8,
    height: 8,
  });
  const images = [
    image('train/good/000', 'good', 'TRAIN'),
    image('test/good/000', 'good'),
    image('test/crack/000', 'crack'),
    image('test/crack/001', 'crack'),
    image('test/hole/000', 'hole'),
    // Imported unlabelled, labelled since: its name keeps its folder.
    image('test/unlabeled/scratch-7', 'crack'),
  ];
  const matcher = new ImageMatcher(images);

  it('reads the image a file is for from MVTec AD paths, exports and COCO file names', () => {
    assert.equal(maskFileKey('bottle/ground_truth/crack/000_mask.png'), 'crack/000');
    assert.equal(maskFileKey('ground_truth/test/good/000_mask.png'), 'test/good/000');
    assert.equal(maskFileKey('test/crack/001.jpg'), 'test/crack/001');
    const found = (key: string, types: string[] = []) => {
      const match = matcher.match(key, types);
      return 'problem' in match ? match : match.name;
    };
    assert.equal(found('crack/000'), 'test/crack/000');
    assert.equal(found('test/good/000'), 'test/good/000');
    assert.equal(found('crack/scratch-7'), 'test/unlabeled/scratch-7', 'by its last segment and defect type');
    assert.equal(found('001'), 'test/crack/001');
    assert.equal(found('000', ['hole']), 'test/hole/000', 'a COCO category narrows');
    assert.deepEqual(found('000'), {
      problem: 'ambiguous',
      candidates: ['test/crack/000', 'test/good/000', 'test/hole/000'],
    });
    assert.deepEqual(found('crack/404'), { problem: 'unknown' });
  });

  it('lays masks out as MVTec AD does, and under the whole name where that would be ambiguous', () => {
    assert.equal(mvtecMaskPath(images[2]!, matcher), 'ground_truth/crack/000_mask.png');
    assert.equal(mvtecMaskPath(images[5]!, matcher), 'ground_truth/crack/scratch-7_mask.png');
    // train/good/000 and test/good/000 share good/000: the training image's mask goes under its whole name.
    assert.equal(mvtecMaskPath(images[1]!, matcher), 'ground_truth/good/000_mask.png');
    assert.equal(mvtecMaskPath(images[0]!, matcher), 'ground_truth/train/good/000_mask.png');
    for (const each of images) {
      const key = maskFileKey(mvtecMaskPath(each, matcher));
      const match = matcher.match(key);
      assert.equal('problem' in match ? match : match.id, each.id, `${each.name} is found again from its path`);
    }
  });
});
