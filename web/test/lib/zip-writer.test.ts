// The browser's zip of picked images (predict's upload): a standard zip that another reader opens, names and bytes
// intact, with CRC-32 as zlib computes it.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { crc32 as zlibCrc32 } from 'node:zlib';

import { crc32, storedZip } from '../../lib/zip';

describe('storedZip', () => {
  it('computes CRC-32 as zlib does', () => {
    for (const text of ['', 'a', 'The quick brown fox', 'é€'.repeat(50)]) {
      const bytes = new TextEncoder().encode(text);
      assert.equal(crc32(bytes), zlibCrc32(bytes), text);
    }
  });

  it("writes a zip Python's zipfile reads back, names (UTF-8) and bytes intact", async () => {
    const files = [
      { name: 'a.png', data: Uint8Array.from([137, 80, 78, 71, 1, 2, 3]) },
      { name: 'folder/über.jpg', data: new Uint8Array(1000).map((_, i) => i % 251) },
      { name: 'empty.bmp', data: new Uint8Array(0) },
    ];
    const dir = mkdtempSync(path.join(os.tmpdir(), 'vad-zip-writer-'));
    try {
      const file = path.join(dir, 'images.zip');
      writeFileSync(file, storedZip(files));
      const script =
        'import sys, zipfile, json\n' +
        'z = zipfile.ZipFile(sys.argv[1])\n' +
        'assert z.testzip() is None\n' +
        'print(json.dumps({n: list(z.read(n)) for n in z.namelist()}))';
      const { stdout } = await promisify(execFile)('python3', ['-c', script, file]);
      const read = JSON.parse(stdout) as Record<string, number[]>;
      assert.deepEqual(
        Object.keys(read),
        files.map((entry) => entry.name),
      );
      for (const entry of files) assert.deepEqual(read[entry.name], Array.from(entry.data), entry.name);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses two files of one name', () => {
    assert.throws(
      () =>
        storedZip([
          { name: 'a.png', data: new Uint8Array(1) },
          { name: 'a.png', data: new Uint8Array(1) },
        ]),
      /two files are named a\.png/,
    );
  });
});
