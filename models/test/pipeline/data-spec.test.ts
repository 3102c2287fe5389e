import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';

import { DataSpecError, formatDataSpec, parseDataSpec } from '../../src';

describe('data specs', () => {
  it('read a folder as an absolute path', () => {
    assert.deepEqual(parseDataSpec('some/folder'), { kind: 'folder', path: resolve('some/folder') });
  });

  it('read fashion-mnist:<class>[:<variant>] by index or name', () => {
    assert.deepEqual(parseDataSpec('fashion-mnist:7'), { kind: 'fashion-mnist', normalClass: 7, variant: 'bright' });
    assert.deepEqual(parseDataSpec('fashion-mnist:Sneaker:patch'), {
      kind: 'fashion-mnist',
      normalClass: 7,
      variant: 'patch',
    });
    assert.equal(parseDataSpec('fashion-mnist:t-shirt').kind, 'fashion-mnist');
    assert.equal(formatDataSpec(parseDataSpec('fashion-mnist:9')), 'fashion-mnist:ankle-boot:bright');
    assert.equal(formatDataSpec(parseDataSpec('fashion-mnist:ankle-boot:bright')), 'fashion-mnist:ankle-boot:bright');
  });

  it('name what is wrong', () => {
    assert.throws(() => parseDataSpec('fashion-mnist:dog'), DataSpecError);
    assert.throws(() => parseDataSpec('fashion-mnist:dog'), /unknown Fashion-MNIST class "dog" \(0=t-shirt, 1=trouser/);
    assert.throws(() => parseDataSpec('fashion-mnist:12'), /unknown Fashion-MNIST class "12"/);
    assert.throws(
      () => parseDataSpec('fashion-mnist:7:neon'),
      /unknown corruption variant "neon" \(expected bright or patch\)/,
    );
    assert.throws(() => parseDataSpec('fashion-mnist:7:patch:x'), /more parts/);
    assert.throws(() => parseDataSpec(''), /empty/);
  });
});
