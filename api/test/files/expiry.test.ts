// Issue 12: zips nobody will use stayed on disk for ever: uploads never imported, and export zips. Now an upload
// not imported within VAD_UPLOAD_RETENTION_HOURS can no longer be claimed and its zip is removed, unless an
// import holds it (its claim is its lease); an export's zip is served until VAD_EXPORT_RETENTION_HOURS after it
// was made, then answers 410 EXPIRED, its downloadUrl becomes null, and its zip is removed.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { exportFile } from '../../src/files/exports';
import { expireFiles } from '../../src/jobs/file-expiry';
import { headersFor, startTestApi, type TestApi, type TestUser } from '../support/api';
import { makeZip } from '../support/zip';

let api: TestApi;
let admin: TestUser;
let datasetId: string;
const HOUR = 3_600_000;

before(async () => {
  api = await startTestApi('expiry');
  admin = await api.user('ADMIN');
  datasetId = (
    await api.ok<{ createDataset: { id: string } }>(
      'mutation { createDataset(input: { name: "expiry" }) { id } }',
      {},
      { cookie: admin.cookie },
    )
  ).createDataset.id;
});
after(() => api.close());

const expire = () => expireFiles(api.prisma, api.app.services.files, api.config.retention);

async function upload(): Promise<string> {
  const response = await fetch(`${api.url}/uploads?name=parts.zip`, {
    method: 'POST',
    headers: { 'content-type': 'application/zip', ...headersFor({ cookie: admin.cookie }) },
    body: makeZip([{ name: 'readme.txt', data: Buffer.from('nothing to import') }]),
  });
  assert.equal(response.status, 201);
  return ((await response.json()) as { id: string }).id;
}

/** Moves an upload's sending back by `ms`, as if it had waited that long. */
async function age(uploadId: string, ms: number): Promise<void> {
  await api.prisma.$executeRaw`
    UPDATE "Upload" SET "createdAt" = "createdAt" - ${ms}::float8 * interval '1 millisecond' WHERE id = ${uploadId}::uuid`;
}

const zipOf = (uploadId: string) => api.app.services.uploads.fileOf(uploadId);

describe('uploads never imported', () => {
  it('keeps a zip within its retention, and removes it after, refusing the import with a clear error', async () => {
    const fresh = await upload();
    const old = await upload();
    await age(old, api.config.retention.uploadMs + 60_000);
    const expired = await expire();
    assert.deepEqual(expired.uploads, [old]);
    assert.ok(existsSync(zipOf(fresh)), 'an upload within its retention is kept');
    assert.ok(!existsSync(zipOf(old)));

    const answer = await api.gql(
      'mutation($u: ID!) { importDataset(input: { uploadId: $u, name: "late" }) { id } }',
      { u: old },
      { cookie: admin.cookie },
    );
    const error = answer.errors?.[0];
    assert.equal(error?.extensions?.code, 'FAILED_PRECONDITION', JSON.stringify(answer.errors));
    assert.equal(error?.extensions?.reason, 'EXPIRED');
    assert.match(error?.message ?? '', /expired: uploads not imported within 24 hours .*VAD_UPLOAD_RETENTION_HOURS/);
  });

  it('refuses to claim an expired upload even before its zip is removed', async () => {
    const old = await upload();
    await age(old, api.config.retention.uploadMs + 60_000);
    const answer = await api.gql(
      'mutation($u: ID!) { importDataset(input: { uploadId: $u, name: "late2" }) { id } }',
      { u: old },
      { cookie: admin.cookie },
    );
    assert.equal(answer.errors?.[0]?.extensions?.reason, 'EXPIRED', JSON.stringify(answer.errors));
    assert.ok(existsSync(zipOf(old)), 'the refusal leaves the zip to the expiry');
  });

  it('keeps an expired upload that an import holds, until its claim ends or lapses', async () => {
    const held = await upload();
    // An import that claimed it just before it expired, and renews its claim while it works.
    await api.prisma.$executeRaw`
      UPDATE "Upload" SET "claimToken" = gen_random_uuid(), "claimedUntil" = now() AT TIME ZONE 'UTC' + interval '5 minutes'
      WHERE id = ${held}::uuid`;
    await age(held, api.config.retention.uploadMs + 60_000);
    assert.ok(!(await expire()).uploads.includes(held));
    assert.ok(existsSync(zipOf(held)));
    // The claim lapsed (its import died): the zip goes.
    await api.prisma.$executeRaw`
      UPDATE "Upload" SET "claimedUntil" = now() AT TIME ZONE 'UTC' - interval '1 second' WHERE id = ${held}::uuid`;
    assert.ok((await expire()).uploads.includes(held));
    assert.ok(!existsSync(zipOf(held)));
  });
});

describe('export zips', () => {
  /** A SUCCEEDED export finished `ago` ms ago, with its zip on disk. */
  async function finishedExport(ago: number): Promise<string> {
    const row = await api.prisma.export.create({
      data: {
        kind: 'MASKS',
        datasetId,
        masks: 'APPROVED',
        status: 'SUCCEEDED',
        progress: 1,
        phase: 'done',
        fileCount: 1,
        byteSize: 22n,
        finishedAt: new Date(Date.now() - ago),
        createdById: admin.id,
      },
    });
    const file = exportFile(api.app.services.files, row.id);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, makeZip([{ name: 'annotations.json', data: Buffer.from('{}') }]));
    return row.id;
  }

  interface Exported {
    export: { downloadUrl: string | null; expiresAt: string | null };
  }
  const read = (id: string) =>
    api.ok<Exported>('query($id: ID!) { export(id: $id) { downloadUrl expiresAt } }', { id }, { cookie: admin.cookie });
  const download = (id: string) =>
    fetch(`${api.url}/files/exports/${id}.zip`, { headers: headersFor({ cookie: admin.cookie }) });

  it('serves a zip until its retention ends, then answers 410 EXPIRED with a null downloadUrl, and removes it', async () => {
    const retention = api.config.retention.exportMs;
    assert.equal(retention, 7 * 24 * HOUR, 'the default is a week');
    const fresh = await finishedExport(HOUR);
    const old = await finishedExport(retention + HOUR);

    const kept = await read(fresh);
    assert.equal(kept.export.downloadUrl, `${api.url}/files/exports/${fresh}.zip`);
    assert.ok(Math.abs(Date.parse(kept.export.expiresAt!) - (Date.now() - HOUR + retention)) < 60_000);
    assert.equal((await download(fresh)).status, 200);

    const gone = await read(old);
    assert.equal(gone.export.downloadUrl, null);
    assert.ok(Date.parse(gone.export.expiresAt!) < Date.now());
    // Gone, not missing, even before the expiry removes the file.
    const answer = await download(old);
    assert.equal(answer.status, 410);
    const body = (await answer.json()) as { errors: { message: string; extensions: { code: string } }[] };
    assert.equal(body.errors[0]?.extensions.code, 'EXPIRED');
    assert.match(body.errors[0]?.message ?? '', /expired on .*168 hours \(VAD_EXPORT_RETENTION_HOURS\); export again/);

    const expired = await expire();
    assert.deepEqual(expired.exports, [old]);
    assert.ok(!existsSync(exportFile(api.app.services.files, old)));
    assert.ok(existsSync(exportFile(api.app.services.files, fresh)));
    assert.equal((await download(old)).status, 410);
    // A second pass finds nothing more to do.
    assert.deepEqual(await expire(), { uploads: [], exports: [] });
  });

  it('has no expiry before it succeeded', async () => {
    const row = await api.prisma.export.create({
      data: { kind: 'MASKS', datasetId, masks: 'LATEST', createdById: admin.id },
    });
    assert.deepEqual((await read(row.id)).export, { downloadUrl: null, expiresAt: null });
  });
});
