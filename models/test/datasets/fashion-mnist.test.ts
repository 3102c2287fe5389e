import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { FASHION_MNIST_DIR, fashionMnistImage, parseIdx, readFashionMnist } from '../../src';
import { encodeIdx, suiteTempDir, writeFakeFashionMnist } from './fixtures';

describe('parseIdx', () => {
  it('reads dimensions and data, plain or gzipped', () => {
    const data = Uint8Array.from({ length: 24 }, (_, i) => i * 3);
    for (const gzip of [false, true]) {
      const parsed = parseIdx(encodeIdx([2, 3, 4], data, gzip), 'x.idx');
      assert.deepEqual(parsed.dims, [2, 3, 4]);
      assert.deepEqual(parsed.data, data);
    }
  });

  it('rejects bad magic, other element types, short data and truncated headers, naming the file', () => {
    const good = encodeIdx([4], new Uint8Array(4));
    assert.throws(() => parseIdx(Buffer.from('hello world'), 'a.idx'), /a\.idx: not an IDX file/);
    const floats = Buffer.from(good);
    floats[2] = 0x0d;
    assert.throws(() => parseIdx(floats, 'b.idx'), /b\.idx: IDX element type 0xd is not unsigned byte/);
    assert.throws(
      () => parseIdx(good.subarray(0, good.length - 1), 'c.idx'),
      /c\.idx: IDX data holds 3 bytes, dimensions 4 need 4/,
    );
    assert.throws(() => parseIdx(good.subarray(0, 6), 'd.idx'), /d\.idx: truncated IDX header/);
  });
});

describe('readFashionMnist', () => {
  const tmp = suiteTempDir('fmnist');

  it('reads train and test (t10k) images with labels, gzipped or not', async () => {
    for (const gzip of [true, false]) {
      const dir = join(tmp.path, gzip ? 'gz' : 'raw');
      await writeFakeFashionMnist(dir, { classes: 3, trainPerClass: 4, testPerClass: 2, gzip });
      const train = await readFashionMnist('train', dir);
      const test = await readFashionMnist('test', dir);
      assert.deepEqual([train.count, train.width, train.height, train.images.length], [12, 28, 28, 12 * 784]);
      assert.equal(test.count, 6);
      assert.deepEqual([...test.labels], [0, 1, 2, 0, 1, 2]);
      const image = fashionMnistImage(test, 5);
      assert.deepEqual([image.width, image.height, image.channels], [28, 28, 1]);
      assert.deepEqual(image.data, test.images.subarray(5 * 784, 6 * 784));
      assert.throws(() => fashionMnistImage(test, 6), /index 6 outside 0\.\.5/);
    }
  });

  it('says how to install the data when the files are missing', async () => {
    await assert.rejects(
      readFashionMnist('train', join(tmp.path, 'nothing')),
      /apt-get install -y dataset-fashion-mnist/,
    );
  });

  it('reads the installed Debian copy: 60000 + 10000 images, balanced classes', async (t) => {
    if (!existsSync(FASHION_MNIST_DIR)) {
      t.skip(`${FASHION_MNIST_DIR} is absent: install it with apt-get install -y dataset-fashion-mnist`);
      return;
    }
    const train = await readFashionMnist('train');
    const test = await readFashionMnist('test');
    assert.deepEqual([train.count, test.count, train.width, train.height], [60000, 10000, 28, 28]);
    const perClass = (labels: Uint8Array) =>
      Array.from({ length: 10 }, (_, c) => labels.filter((label) => label === c).length);
    assert.deepEqual(perClass(train.labels), Array(10).fill(6000));
    assert.deepEqual(perClass(test.labels), Array(10).fill(1000));
  });
});
