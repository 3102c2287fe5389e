// Server-folder imports read only their roots: by default a folder under the data directory, made at start,
// instead of any folder the server process can read (system folders included).
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { importRootFor, loadConfig } from '../../src/config';
import { startTestApi, type TestApi, type TestUser } from '../support/api';
import { makeFlatFolder } from '../support/fixtures';

let api: TestApi;
let admin: TestUser;
let root: string;
const outside = mkdtempSync(path.join(os.tmpdir(), 'vad-import-roots-'));

before(async () => {
  api = await startTestApi('import_roots', (config) => {
    config.importRoots = [importRootFor(config.dataDir)];
  });
  admin = await api.user('ADMIN');
  root = importRootFor(api.dataDir);
});
after(async () => {
  await api.close();
  rmSync(outside, { recursive: true, force: true });
});

const IMPORT =
  'mutation($p: String!, $n: String) { importDataset(input: { path: $p, name: $n }) { id counts { images } } }';

async function refusedAsOutside(folder: string): Promise<void> {
  const answer = await api.gql(IMPORT, { p: folder, n: path.basename(folder) }, { cookie: admin.cookie });
  const error = answer.errors?.[0];
  assert.equal(error?.extensions?.code, 'BAD_USER_INPUT', JSON.stringify(answer.errors));
  assert.equal(error?.extensions?.field, 'path');
  assert.ok(error?.message.includes(`outside the folders imports may read: ${root}`), error?.message);
}

describe('VAD_IMPORT_ROOTS', () => {
  it('defaults to <VAD_DATA_DIR>/imports, and takes absolute folders only', () => {
    assert.deepEqual(loadConfig({ VAD_DATA_DIR: '/srv/vad' }).importRoots, ['/srv/vad/imports']);
    assert.deepEqual(loadConfig({ VAD_DATA_DIR: '/srv/vad', VAD_IMPORT_ROOTS: '' }).importRoots, ['/srv/vad/imports']);
    assert.deepEqual(loadConfig({ VAD_IMPORT_ROOTS: '/data/a:/data/b/' }).importRoots, ['/data/a', '/data/b']);
    assert.throws(
      () => loadConfig({ VAD_IMPORT_ROOTS: 'datasets' }),
      /VAD_IMPORT_ROOTS: "datasets" is not an absolute/,
    );
  });

  it('the default root exists from the start, and a dataset in it imports', async () => {
    assert.ok(existsSync(root));
    const folder = await makeFlatFolder(path.join(root, 'tiles'), 3);
    const data = await api.ok<{ importDataset: { counts: { images: number } } }>(
      IMPORT,
      { p: folder, n: 'in the root' },
      { cookie: admin.cookie },
    );
    assert.equal(data.importDataset.counts.images, 3);
  });

  it('refuses a folder outside the roots, naming them, before looking at it', async () => {
    await refusedAsOutside(await makeFlatFolder(path.join(outside, 'elsewhere'), 2));
    // System folders, a missing folder and a way out with `..` get the same answer: nothing is probed.
    for (const folder of ['/etc', path.join(outside, 'missing'), path.join(root, '..', '..')]) {
      await refusedAsOutside(folder);
    }
    assert.equal(await api.prisma.dataset.count({ where: { name: { in: ['elsewhere', 'etc'] } } }), 0);
  });

  it('refuses a link inside a root that leads out of it', async () => {
    const target = await makeFlatFolder(path.join(outside, 'linked'), 2);
    const link = path.join(root, 'link-out');
    symlinkSync(target, link);
    await refusedAsOutside(link);
  });
});
