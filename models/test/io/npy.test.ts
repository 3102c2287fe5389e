import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';

import { decodeNpy, encodeNpy } from '../../src/io/npy';

// Debian's python3 with python3-numpy, which scripts/setup.sh --test installs: the `python3` on PATH may be another
// interpreter (pyenv) whose numpy nothing in the project installs.
const PYTHON = '/usr/bin/python3';

const map = { width: 3, height: 2, data: Float32Array.of(0, 0.5, -1.25, 3e-7, 1e6, Number.NaN) };

describe('.npy maps', () => {
  it('round-trips a map, NaN included, with a header padded to 64 bytes', () => {
    const bytes = encodeNpy(map);
    assert.equal((10 + bytes.readUInt16LE(8)) % 64, 0);
    const back = decodeNpy(bytes);
    assert.deepEqual([back.width, back.height], [3, 2]);
    assert.deepEqual([...back.data], [...map.data]);
  });

  it('refuses what it does not read, by name', () => {
    assert.throws(() => decodeNpy(Buffer.from('not numpy at all')), /not a \.npy file/);
    const bytes = encodeNpy(map);
    assert.throws(() => decodeNpy(bytes.subarray(0, bytes.length - 4)), /truncated/);
    const doubles = Buffer.from(bytes);
    doubles.write("'<f8'", bytes.indexOf("'<f4'"), 'latin1');
    assert.throws(() => decodeNpy(doubles), /only little-endian float32/);
  });

  it('is read by numpy as a (height, width) float32 array', (context) => {
    const probe = spawnSync(PYTHON, ['-c', 'import numpy'], { encoding: 'utf8' });
    if (probe.status !== 0)
      return context.skip(`${PYTHON} with numpy is not installed (scripts/setup.sh --test installs it)`);
    const dir = mkdtempSync(path.join(tmpdir(), 'npy-'));
    try {
      const file = path.join(dir, 'map.npy');
      writeFileSync(file, encodeNpy(map));
      const read = spawnSync(
        PYTHON,
        ['-c', 'import sys, numpy; a = numpy.load(sys.argv[1]); print(a.dtype, a.shape, repr(a[1, 1].item()))', file],
        { encoding: 'utf8' },
      );
      assert.equal(read.status, 0, read.stderr);
      assert.equal(read.stdout.trim(), 'float32 (2, 3) 1000000.0');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
