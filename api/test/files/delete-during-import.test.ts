// Issue 12, "stored files vanish": a dataset deleted while an import (or a mask save) of the same files is between
// storing them and committing its rows. Each case holds the writer at its commit with a row lock taken from
// outside (no hook in the code), deletes the other dataset, which collects its files, then lets the writer
// commit, and reads every file of the committed rows back through the API.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import pg from 'pg';

import { parseDatabaseUrl } from '../../src/db/pg-adapter';
import { FileStore } from '../../src/files/store';
import { headersFor, startTestApi, type TestApi, type TestUser } from '../support/api';
import { makeMvtecFolder, maskPng } from '../support/fixtures';
import { waitFor } from '../support/wait';
import { zipFolder } from '../support/zip';

let api: TestApi;
let admin: TestUser;
const scratch = mkdtempSync(path.join(os.tmpdir(), 'vad-delete-during-import-'));

before(async () => {
  api = await startTestApi('delete_during_import');
  admin = await api.user('ADMIN');
});
after(async () => {
  await api.close();
  rmSync(scratch, { recursive: true, force: true });
});

async function importPath(folder: string, name: string): Promise<string> {
  const data = await api.ok<{ importDataset: { id: string } }>(
    'mutation($p: String!, $n: String) { importDataset(input: { path: $p, name: $n }) { id } }',
    { p: folder, n: name },
    { cookie: admin.cookie },
  );
  return data.importDataset.id;
}

async function deleteDataset(id: string): Promise<void> {
  await api.ok('mutation($id: ID!) { deleteDataset(id: $id) }', { id }, { cookie: admin.cookie });
}

/** A transaction from outside the API that holds a row lock until `release`. */
async function holdLock(sql: string, values: unknown[]): Promise<{ release: () => Promise<void> }> {
  const client = new pg.Client(parseDatabaseUrl(api.databaseUrl));
  await client.connect();
  await client.query('BEGIN');
  await client.query(sql, values);
  return {
    release: async () => {
      await client.query('ROLLBACK');
      await client.end();
    },
  };
}

/** Until the writer waits on the lock at its commit, in the statement that `statement` starts. */
async function writerWaits(statement: string): Promise<void> {
  await waitFor(
    `the writer waiting at its commit (${statement})`,
    async () => {
      const [row] = await api.prisma.$queryRaw<{ waiting: number }[]>`
        SELECT count(*)::int AS waiting FROM pg_stat_activity
        WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE ${statement + '%'}`;
      return row!.waiting > 0 ? true : undefined;
    },
    30_000,
    20,
  );
}

/** Every file the dataset's images and masks name, read through the API and checked against its key. */
async function readEveryFile(datasetId: string): Promise<number> {
  const images = await api.prisma.image.findMany({ where: { datasetId } });
  const masks = await api.prisma.mask.findMany({ where: { datasetId } });
  const routes = [
    ...images.map((image) => ({ url: `/files/images/${image.id}`, key: image.contentHash })),
    ...masks.map((mask) => ({ url: `/files/masks/${mask.id}`, key: mask.contentHash })),
  ];
  for (const { url, key } of routes) {
    const response = await fetch(`${api.url}${url}`, { headers: headersFor({ cookie: admin.cookie }) });
    assert.equal(response.status, 200, `${url} answers ${response.status}: ${await response.clone().text()}`);
    assert.equal(FileStore.hashOf(new Uint8Array(await response.arrayBuffer())), key, url);
  }
  return routes.length;
}

describe('deleting a dataset while another one is being written', () => {
  it('loses no file of a zip import whose images the deleted dataset held', async () => {
    // 40 px: none of its files is one of the next test's (32 px).
    const folder = await makeMvtecFolder(path.join(scratch, 'shared'), { size: 40, train: 4, defects: { dent: 3 } });
    const older = await importPath(folder, 'older');
    const shared = (await api.prisma.image.findMany({ where: { datasetId: older } })).map((row) => row.contentHash);
    const sent = await fetch(`${api.url}/uploads?name=shared.zip`, {
      method: 'POST',
      headers: { 'content-type': 'application/zip', ...headersFor({ cookie: admin.cookie }) },
      body: zipFolder(folder),
    });
    const { id: uploadId } = (await sent.json()) as { id: string };

    // The import's dataset row waits behind an uncommitted one of the same name, after every file is stored.
    const lock = await holdLock(
      `INSERT INTO "Dataset" (id, name, layout, category, channels, "defectTypes", warnings)
       VALUES (gen_random_uuid(), 'newer', 'EMPTY', 'x', 1, '{}', '{}')`,
      [],
    );
    const importing = api.gql(
      'mutation($u: ID!) { importDataset(input: { uploadId: $u, name: "newer" }) { id counts { images } } }',
      { u: uploadId },
      { cookie: admin.cookie },
    );
    try {
      await writerWaits('INSERT INTO "public"."Dataset"');
      await deleteDataset(older);
      assert.ok(
        shared.every((key) => api.app.services.files.has(key)),
        'the deleted dataset’s files are still there: the import holds them',
      );
    } finally {
      await lock.release();
    }
    const imported = await importing;
    assert.equal(imported.errors, undefined, JSON.stringify(imported.errors));
    const newer = (imported.data as { importDataset: { id: string; counts: { images: number } } }).importDataset;
    assert.equal(newer.counts.images, 9);
    assert.equal(await readEveryFile(newer.id), 9 + 3);
    assert.equal(await api.prisma.fileLease.count(), 0, 'the import gave its leases up');
  });

  it('loses no mask saved while the only other dataset with the same mask is deleted', async () => {
    // The same mask as the doomed dataset's only one (makeMvtecFolder draws its first defect's disc here).
    const spot = { x: 8, y: 10, r: 3 };
    const holder = await makeMvtecFolder(path.join(scratch, 'mask-holder'), { train: 1, testGood: 1, defects: {} });
    const other = await makeMvtecFolder(path.join(scratch, 'mask-other'), {
      train: 1,
      testGood: 0,
      defects: { spot: 1 },
    });
    const annotated = await importPath(holder, 'annotated');
    const doomed = await importPath(other, 'doomed');
    const doomedMask = await api.prisma.mask.findFirstOrThrow({ where: { datasetId: doomed } });
    const image = await api.prisma.image.findFirstOrThrow({ where: { datasetId: annotated, split: 'TEST' } });

    // The save's conditional update of the image waits behind a row lock, after the mask file is stored.
    const lock = await holdLock(`SELECT id FROM "Image" WHERE id = $1 FOR UPDATE`, [image.id]);
    const saving = api.gql(
      'mutation($i: ID!, $p: String!) { saveMask(imageId: $i, pngBase64: $p, baseVersion: 0) { id version } }',
      { i: image.id, p: (await maskPng(32, spot)).toString('base64') },
      { cookie: admin.cookie },
    );
    try {
      await writerWaits('UPDATE "public"."Image"');
      await deleteDataset(doomed);
      assert.ok(api.app.services.files.has(doomedMask.contentHash), 'the save holds the mask file');
    } finally {
      await lock.release();
    }
    const saved = await saving;
    assert.equal(saved.errors, undefined, JSON.stringify(saved.errors));
    const mask = await api.prisma.mask.findFirstOrThrow({ where: { imageId: image.id } });
    assert.equal(mask.contentHash, doomedMask.contentHash, 'the two masks are one file');
    assert.equal(await readEveryFile(annotated), 2 + 1);
  });
});
