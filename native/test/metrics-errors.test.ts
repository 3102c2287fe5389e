import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import {
  type GroundTruthMask,
  type ScoreMap,
  aupro,
  bestIou,
  evaluatePixels,
  f1Max,
  imageAuroc,
  pixelAuroc,
  pixelF1Max,
} from '../lib/metrics';

const map = (values: number[], width = values.length, height = 1): ScoreMap => ({
  data: Float32Array.from(values),
  width,
  height,
});
const mask = (values: number[], width = values.length, height = 1): GroundTruthMask => ({
  data: Uint8Array.from(values),
  width,
  height,
});

/** Asserts a rejection of exactly this class (a RangeError is not a plain Error here) matching the message. */
async function rejectsWith(promise: Promise<unknown>, kind: ErrorConstructor, message: RegExp): Promise<void> {
  await assert.rejects(promise, (error: Error) => {
    assert.equal(error.constructor, kind, `${error.constructor.name}: ${error.message}`);
    assert.match(error.message, message);
    return true;
  });
}

describe('one class only: a clear Error, never NaN', () => {
  const scores = Float32Array.from([0.1, 0.5, 0.9]);

  test('image metrics', async () => {
    await rejectsWith(
      imageAuroc(scores, Uint8Array.from([0, 0, 0])),
      Error,
      /^AUROC is undefined: every image is normal/,
    );
    await rejectsWith(
      imageAuroc(scores, Uint8Array.from([1, 1, 1])),
      Error,
      /^AUROC is undefined: every image is anomalous/,
    );
    await rejectsWith(f1Max(scores, Uint8Array.from([0, 0, 0])), Error, /^F1-max is undefined: every image is normal/);
    await rejectsWith(
      f1Max(scores, Uint8Array.from([1, 1, 1])),
      Error,
      /^F1-max is undefined: every image is anomalous/,
    );
  });

  test('pixel metrics', async () => {
    const maps = [map([0.1, 0.2]), map([0.3, 0.4, 0.5])];
    const empty = [mask([0, 0]), mask([0, 0, 0])];
    const full = [mask([1, 255]), mask([1, 1, 1])];
    await rejectsWith(
      pixelAuroc(maps, empty),
      Error,
      /^pixel AUROC is undefined: every pixel is normal \(every mask is empty\)/,
    );
    await rejectsWith(pixelAuroc(maps, full), Error, /^pixel AUROC is undefined: every pixel is anomalous/);
    await rejectsWith(aupro(maps, empty), Error, /^AUPRO is undefined: every pixel is normal/);
    await rejectsWith(aupro(maps, full), Error, /^AUPRO is undefined: every pixel is anomalous/);
    await rejectsWith(pixelF1Max(maps, empty), Error, /^pixel F1-max is undefined/);
    await rejectsWith(bestIou(maps, full), Error, /^best IoU is undefined/);
    await rejectsWith(evaluatePixels(maps, empty), Error, /^pixel evaluation is undefined: every pixel is normal/);
  });
});

describe('bad input: RangeError naming the problem', () => {
  test('empty input', async () => {
    await rejectsWith(imageAuroc(new Float32Array(0), new Uint8Array(0)), RangeError, /scores is empty/);
    await rejectsWith(f1Max(new Float32Array(0), new Uint8Array(0)), RangeError, /scores is empty/);
    await rejectsWith(pixelAuroc([], []), RangeError, /maps is empty/);
    await rejectsWith(aupro([], []), RangeError, /maps is empty/);
  });

  test('non-finite scores, by index and pixel', async () => {
    const labels = Uint8Array.from([0, 1, 0]);
    await rejectsWith(imageAuroc(Float32Array.from([0.1, 0.2, NaN]), labels), RangeError, /scores\[2\] is NaN/);
    await rejectsWith(f1Max(Float32Array.from([Infinity, 0.2, 0.3]), labels), RangeError, /scores\[0\] is Infinity/);
    const masks = [mask([0, 1]), mask([0, 1, 0, 0], 2, 2)];
    await rejectsWith(
      pixelAuroc([map([0.1, 0.2]), map([0.1, 0.2, 0.3, -Infinity], 2, 2)], masks),
      RangeError,
      /maps\[1\] is -Infinity at pixel 3 \(x=1, y=1\)/,
    );
    await rejectsWith(
      aupro([map([NaN, 0.2]), map([0, 0, 0, 0], 2, 2)], masks),
      RangeError,
      /maps\[0\] is NaN at pixel 0/,
    );
  });

  test('sizes and counts that disagree', async () => {
    const maps = [map([0.1, 0.2]), map([0.1, 0.2, 0.3, 0.4, 0.5, 0.6], 3, 2)];
    await rejectsWith(
      pixelAuroc(maps, [mask([0, 1]), mask([0, 1, 0, 0, 0, 0], 2, 3)]),
      RangeError,
      /maps\[1\] is 3x2 but masks\[1\] is 2x3/,
    );
    await rejectsWith(bestIou(maps, [mask([0, 1])]), RangeError, /got 2 maps but 1 masks/);
    await rejectsWith(
      pixelF1Max([map([0.1, 0.2, 0.3], 2, 2)], [mask([0, 1, 0, 0], 2, 2)]),
      RangeError,
      /maps\[0\]\.data has 3 values, but 2x2 needs 4/,
    );
    await rejectsWith(
      pixelAuroc([map([], 0, 0)], [mask([], 0, 0)]),
      RangeError,
      /maps\[0\] is 0x0: width and height must be positive/,
    );
    await rejectsWith(
      pixelAuroc([map([0.1, 0.2], 1.5, 2)], [mask([0, 1], 1.5, 2)]),
      RangeError,
      /maps\[0\]\.width must be a whole number/,
    );
    await rejectsWith(
      imageAuroc(Float32Array.from([0.1, 0.2]), Uint8Array.from([0])),
      RangeError,
      /got 2 scores but 1 labels/,
    );
  });

  test('labels other than 0 and 1', async () => {
    await rejectsWith(
      imageAuroc(Float32Array.from([0.1, 0.2]), Uint8Array.from([0, 255])),
      RangeError,
      /labels\[1\] is 255: labels must be 0 \(normal\) or 1 \(anomalous\)/,
    );
  });

  test('options out of range', async () => {
    const maps = [map([0.1, 0.2])];
    const masks = [mask([0, 1])];
    await rejectsWith(aupro(maps, masks, { maxFpr: 0 }), RangeError, /maxFpr must be in \(0, 1\], got 0/);
    await rejectsWith(aupro(maps, masks, { maxFpr: 1.5 }), RangeError, /maxFpr must be in \(0, 1\], got 1.5/);
    await rejectsWith(aupro(maps, masks, { maxFpr: NaN }), RangeError, /maxFpr must be in \(0, 1\]/);
    await rejectsWith(
      pixelAuroc(maps, masks, { maxCurvePoints: 1 }),
      RangeError,
      /maxCurvePoints must be a whole number from 2/,
    );
    await rejectsWith(
      imageAuroc(Float32Array.from([0.1, 0.2]), Uint8Array.from([0, 1]), { maxCurvePoints: 1 }),
      RangeError,
      /maxCurvePoints/,
    );
  });

  test('values of the wrong type: TypeError, as a rejection', async () => {
    const labels = Uint8Array.from([0, 1]);
    await rejectsWith(
      imageAuroc([0.1, 0.2] as unknown as Float32Array, labels),
      TypeError,
      /scores must be a Float32Array/,
    );
    await rejectsWith(
      imageAuroc(Float64Array.from([0.1, 0.2]) as unknown as Float32Array, labels),
      TypeError,
      /scores must be a Float32Array/,
    );
    await rejectsWith(
      f1Max(Float32Array.from([0.1, 0.2]), [0, 1] as unknown as Uint8Array),
      TypeError,
      /labels must be a Uint8Array/,
    );
    await rejectsWith(
      pixelAuroc(
        [map([0.1, 0.2])],
        [{ data: Float32Array.from([0, 1]), width: 2, height: 1 } as unknown as GroundTruthMask],
      ),
      TypeError,
      /masks\[0\]\.data must be a Uint8Array/,
    );
    await rejectsWith(
      pixelAuroc([null as unknown as ScoreMap], [mask([0, 1])]),
      TypeError,
      /maps\[0\] must be an object/,
    );
    await rejectsWith(pixelAuroc({} as unknown as ScoreMap[], [mask([0, 1])]), TypeError, /maps must be an array/);
  });
});
