// Issue 12: an interrupted or failed zip import used up its upload (a retry said "already imported") and left the
// zip and its unpacked copy on disk. An upload is now consumed only by the import that commits it, one attempt
// holds it at a time, and what a failed or crashed attempt unpacked is removed.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { headersFor, startTestApi, type TestApi, type TestUser } from '../support/api';
import { makeMvtecFolder } from '../support/fixtures';
import { zipFolder } from '../support/zip';

let api: TestApi;
let admin: TestUser;
let zip: Buffer;
const scratch = mkdtempSync(path.join(os.tmpdir(), 'vad-upload-retry-'));

before(async () => {
  api = await startTestApi('upload_retry');
  admin = await api.user('ADMIN');
  const folder = await makeMvtecFolder(path.join(scratch, 'data'), { train: 3, defects: { dent: 2 } });
  zip = zipFolder(folder);
});
after(async () => {
  await api.close();
  rmSync(scratch, { recursive: true, force: true });
});

const IMPORT =
  'mutation($u: ID!, $n: String) { importDataset(input: { uploadId: $u, name: $n }) { id counts { images } } }';

async function upload(): Promise<string> {
  const response = await fetch(`${api.url}/uploads?name=parts.zip`, {
    method: 'POST',
    headers: { 'content-type': 'application/zip', ...headersFor({ cookie: admin.cookie }) },
    body: zip,
  });
  assert.equal(response.status, 201);
  return ((await response.json()) as { id: string }).id;
}

const importUpload = (uploadId: string, name: string) =>
  api.gql<{ importDataset: { id: string; counts: { images: number } } }>(
    IMPORT,
    { u: uploadId, n: name },
    { cookie: admin.cookie },
  );

const uploadsFolder = () => readdirSync(api.app.services.files.uploadsDir).sort();
const storedObjects = () => {
  const objects = path.join(api.app.services.files.root, 'objects');
  return existsSync(objects) ? readdirSync(objects).flatMap((dir) => readdirSync(path.join(objects, dir))).length : 0;
};

describe('a zip import that fails', () => {
  it('keeps its upload for a retry, and leaves neither the unpacked copy nor the files it stored', async () => {
    await api.ok('mutation { createDataset(input: { name: "taken" }) { id } }', {}, { cookie: admin.cookie });
    const uploadId = await upload();
    const objectsBefore = storedObjects();
    // Everything is unpacked, checked and stored before the name is found taken, in the commit.
    const failed = await importUpload(uploadId, 'taken');
    assert.equal(failed.errors?.[0]?.extensions?.code, 'CONFLICT', JSON.stringify(failed.errors));
    assert.deepEqual(uploadsFolder(), [`${uploadId}.zip`], 'only the zip is left');
    assert.equal(storedObjects(), objectsBefore, 'the stored files were collected');
    assert.equal(await api.prisma.fileLease.count(), 0);
    const row = await api.prisma.upload.findUniqueOrThrow({ where: { id: uploadId } });
    assert.equal(row.usedAt, null);
    assert.equal(row.claimToken, null);

    const retried = await importUpload(uploadId, 'retried');
    assert.equal(retried.errors, undefined, JSON.stringify(retried.errors));
    assert.equal(retried.data?.importDataset.counts.images, 7);
    assert.deepEqual(uploadsFolder(), [], 'the zip goes with the import that used it');
    const again = await importUpload(uploadId, 'twice');
    assert.equal(again.errors?.[0]?.extensions?.code, 'FAILED_PRECONDITION');
    assert.match(again.errors?.[0]?.message ?? '', /already been imported/);
  });
});

describe('a zip import interrupted by a crash', () => {
  it('holds the upload while its claim lasts, then lets a retry take over and clear what it unpacked', async () => {
    const uploadId = await upload();
    // What a server that died while unpacking leaves: its claim, and a half-unpacked folder.
    const crashed = randomUUID();
    await api.prisma.$executeRaw`
      UPDATE "Upload" SET "claimToken" = ${crashed}::uuid,
        "claimedUntil" = (now() AT TIME ZONE 'UTC') + interval '1 minute'
      WHERE id = ${uploadId}::uuid`;
    const leftover = path.join(api.app.services.files.uploadsDir, `${uploadId}.${crashed}.extracted`);
    mkdirSync(path.join(leftover, 'train', 'good'), { recursive: true });
    writeFileSync(path.join(leftover, 'train', 'good', '000.png'), Buffer.alloc(1000));
    // A legacy extraction folder (before claims) of another upload, also left by a crash.
    const legacy = path.join(api.app.services.files.uploadsDir, `${randomUUID()}.extracted`);
    mkdirSync(legacy);

    const busy = await importUpload(uploadId, 'while claimed');
    assert.equal(busy.errors?.[0]?.extensions?.code, 'FAILED_PRECONDITION');
    assert.match(busy.errors?.[0]?.message ?? '', /being imported by another request/);
    assert.ok(existsSync(leftover), 'a live claim’s folder is not touched');

    // The crashed server stopped renewing its claim: it lapses.
    await api.prisma.$executeRaw`
      UPDATE "Upload" SET "claimedUntil" = (now() AT TIME ZONE 'UTC') - interval '1 second' WHERE id = ${uploadId}::uuid`;
    const retried = await importUpload(uploadId, 'after the crash');
    assert.equal(retried.errors, undefined, JSON.stringify(retried.errors));
    assert.equal(retried.data?.importDataset.counts.images, 7);
    assert.equal(existsSync(leftover), false, 'the crashed attempt’s folder is gone');
    assert.equal(existsSync(legacy), false);
    assert.deepEqual(uploadsFolder(), []);
  });

  it('refuses, naming the problem, an upload whose zip is gone', async () => {
    const uploadId = await upload();
    rmSync(path.join(api.app.services.files.uploadsDir, `${uploadId}.zip`));
    const answer = await importUpload(uploadId, 'no zip');
    assert.equal(answer.errors?.[0]?.extensions?.code, 'FAILED_PRECONDITION');
    assert.match(answer.errors?.[0]?.message ?? '', /has no zip any more/);
    assert.equal((await api.prisma.upload.findUniqueOrThrow({ where: { id: uploadId } })).claimToken, null);
  });
});
