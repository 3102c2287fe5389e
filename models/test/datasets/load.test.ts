import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { detectLayout, loadDataset } from '../../src';
import { gradient, suiteTempDir, writeImage } from './fixtures';

describe('detectLayout and loadDataset', () => {
  const tmp = suiteTempDir('load');

  it('recognises the MVTec and plain layouts and loads each with its reader', async () => {
    const mvtec = join(tmp.path, 'cable');
    await writeImage(join(mvtec, 'train/good/0.png'), gradient(8, 8));
    await writeImage(join(mvtec, 'test/good/0.png'), gradient(8, 8));
    const plain = join(tmp.path, 'parts');
    await writeImage(join(plain, 'normal/0.png'), gradient(8, 8));
    await writeImage(join(plain, 'normal/1.png'), gradient(8, 8));
    await writeImage(join(plain, 'anomalous/0.png'), gradient(8, 8));

    assert.equal(await detectLayout(mvtec), 'mvtec');
    assert.equal(await detectLayout(plain), 'plain-folder');
    assert.equal((await loadDataset(mvtec)).layout, 'mvtec');
    const loaded = await loadDataset(plain, { normalTestFraction: 0.5 });
    assert.equal(loaded.layout, 'plain-folder');
    assert.equal(
      loaded.samples.filter((sample) => sample.split === 'train').length,
      1,
      'options reach the plain reader',
    );
  });

  it('explains what is wrong with a folder it cannot load', async () => {
    const empty = join(tmp.path, 'empty');
    await mkdir(empty);
    await assert.rejects(loadDataset(empty), /empty: empty folder/);
    await assert.rejects(loadDataset(join(tmp.path, 'absent')), /absent: not a folder/);

    const collection = join(tmp.path, 'mvtec_ad');
    await writeImage(join(collection, 'bottle/train/good/0.png'), gradient(8, 8));
    await writeImage(join(collection, 'screw/train/good/0.png'), gradient(8, 8));
    await assert.rejects(loadDataset(collection), /holds 2 MVTec-style categories \(bottle, screw\): load one of them/);

    const loose = join(tmp.path, 'loose');
    await writeImage(join(loose, 'a.png'), gradient(8, 8));
    await assert.rejects(loadDataset(loose), /loose: unrecognised layout/);
  });
});
