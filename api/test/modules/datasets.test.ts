// Datasets and images: imports from folders and uploaded zips, every check an import makes, lists with
// filters and cursors, the file routes, and deletion.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import sharp from 'sharp';

import { headersFor, startTestApi, type Credentials, type TestApi, type TestUser } from '../support/api';
import { grayPng, makeFlatFolder, makeMvtecFolder, maskPng } from '../support/fixtures';
import { makeZip, zipFolder } from '../support/zip';

let api: TestApi;
let admin: TestUser;
let viewer: TestUser;
const scratch = mkdtempSync(path.join(os.tmpdir(), 'vad-datasets-'));

before(async () => {
  api = await startTestApi('datasets', (config) => {
    config.limits.maxImagePixels = 48 * 48;
    config.limits.maxUploadBytes = 200_000;
  });
  admin = await api.user('ADMIN');
  viewer = await api.user('VIEWER');
});
after(async () => {
  await api.close();
  rmSync(scratch, { recursive: true, force: true });
});

const IMPORT = `mutation($input: ImportDatasetInput!) {
  importDataset(input: $input) {
    id name layout category channels defectTypes warnings
    counts { images train test normal anomalous unlabeled }
  }
}`;

interface ImportedDataset {
  id: string;
  name: string;
  layout: string;
  defectTypes: string[];
  counts: Record<string, number>;
}

async function importPath(folder: string, name?: string): Promise<ImportedDataset> {
  const data = await api.ok<{ importDataset: ImportedDataset }>(
    IMPORT,
    { input: { path: folder, name } },
    { cookie: admin.cookie },
  );
  return data.importDataset;
}

async function upload(
  body: Buffer,
  credentials: Credentials = { cookie: admin.cookie },
): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${api.url}/uploads?name=data.zip`, {
    method: 'POST',
    headers: { 'content-type': 'application/zip', ...headersFor(credentials) },
    body,
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

describe('importDataset from a server folder', () => {
  let dataset: ImportedDataset;

  before(async () => {
    dataset = await importPath(await makeMvtecFolder(path.join(scratch, 'tiles')), 'tiles');
  });

  it('reads the MVTec AD layout with its counts, defect types and masks', async () => {
    assert.equal(dataset.layout, 'MVTEC');
    assert.deepEqual(dataset.defectTypes, ['crack', 'hole']);
    assert.deepEqual(dataset.counts, { images: 11, train: 6, test: 5, normal: 8, anomalous: 3, unlabeled: 0 });
    const masks = await api.prisma.mask.findMany({ where: { datasetId: dataset.id } });
    assert.equal(masks.length, 3);
    assert.ok(masks.every((mask) => mask.source === 'IMPORTED' && mask.status === 'APPROVED' && mask.version === 1));
    assert.ok(masks.every((mask) => mask.defectPixels > 20 && mask.defectPixels < 40));
  });

  it('lists images with filters, order and cursors', async () => {
    const query = `query($id: ID!, $first: Int!, $after: String, $filter: ImageFilter, $order: ImageOrder!) {
      dataset(id: $id) { images(first: $first, after: $after, filter: $filter, orderBy: $order) {
        totalCount pageInfo { hasNextPage endCursor }
        edges { node { name split label defectType width height maskVersion currentMask { version status source } } }
      } }
    }`;
    type Page = {
      dataset: {
        images: {
          totalCount: number;
          pageInfo: { hasNextPage: boolean; endCursor: string };
          edges: { node: Record<string, unknown> }[];
        };
      };
    };
    const names: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: Page = await api.ok<Page>(
        query,
        { id: dataset.id, first: 4, after, order: 'NAME_ASC' },
        { cookie: viewer.cookie },
      );
      assert.equal(page.dataset.images.totalCount, 11);
      names.push(...page.dataset.images.edges.map((edge) => edge.node.name as string));
      if (!page.dataset.images.pageInfo.hasNextPage) break;
      after = page.dataset.images.pageInfo.endCursor;
    }
    assert.equal(names.length, 11);
    assert.deepEqual(names, [...names].sort());

    const cracks = await api.ok<Page>(
      query,
      { id: dataset.id, first: 10, filter: { defectType: 'crack' }, order: 'NAME_DESC' },
      { cookie: viewer.cookie },
    );
    assert.deepEqual(
      cracks.dataset.images.edges.map((edge) => edge.node.name),
      ['test/crack/001', 'test/crack/000'],
    );
    assert.deepEqual(cracks.dataset.images.edges[0]!.node.currentMask, {
      version: 1,
      status: 'APPROVED',
      source: 'IMPORTED',
    });

    const train = await api.ok<Page>(
      query,
      { id: dataset.id, first: 10, filter: { split: 'TRAIN', label: 'NORMAL' }, order: 'NAME_ASC' },
      { cookie: viewer.cookie },
    );
    assert.equal(train.dataset.images.totalCount, 6);
    const approved = await api.ok<Page>(
      query,
      { id: dataset.id, first: 10, filter: { maskStatus: 'APPROVED' }, order: 'NAME_ASC' },
      { cookie: viewer.cookie },
    );
    assert.equal(approved.dataset.images.totalCount, 3);
    const withoutMask = await api.ok<Page>(
      query,
      { id: dataset.id, first: 10, filter: { hasMask: false }, order: 'NAME_ASC' },
      { cookie: viewer.cookie },
    );
    assert.equal(withoutMask.dataset.images.totalCount, 8);

    const bad = await api.gql(
      query,
      { id: dataset.id, first: 4, after: 'garbage', order: 'NAME_ASC' },
      { cookie: viewer.cookie },
    );
    assert.equal(bad.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
    assert.equal(bad.errors?.[0]?.message, 'after is not a cursor from this list');
  });

  it('answers dataset, datasets and image queries; unknown ids are null', async () => {
    const data = await api.ok<{
      datasets: { totalCount: number; edges: { node: { name: string } }[] };
      dataset: unknown;
      image: unknown;
    }>(
      `query($missing: ID!) { datasets(first: 10) { totalCount edges { node { name } } } dataset(id: $missing) { id } image(id: "not-an-id") { id } }`,
      { missing: '00000000-0000-4000-8000-000000000000' },
      { cookie: viewer.cookie },
    );
    assert.ok(data.datasets.edges.some((edge) => edge.node.name === 'tiles'));
    assert.equal(data.dataset, null);
    assert.equal(data.image, null);
  });

  it('serves image, thumbnail and mask files to signed-in users only', async () => {
    const image = await api.prisma.image.findFirstOrThrow({ where: { datasetId: dataset.id, name: 'test/crack/000' } });
    const original = readFileSync(path.join(scratch, 'tiles', 'test', 'crack', '000.png'));
    const file = await fetch(`${api.url}/files/images/${image.id}`, { headers: headersFor({ cookie: viewer.cookie }) });
    assert.equal(file.status, 200);
    assert.equal(file.headers.get('content-type'), 'image/png');
    assert.ok(Buffer.from(await file.arrayBuffer()).equals(original));
    const again = await fetch(`${api.url}/files/images/${image.id}`, {
      headers: { ...headersFor({ cookie: viewer.cookie }), 'if-none-match': file.headers.get('etag')! },
    });
    assert.equal(again.status, 304);

    const thumbnail = await fetch(`${api.url}/files/images/${image.id}/thumbnail?size=64`, {
      headers: headersFor({ cookie: viewer.cookie }),
    });
    assert.equal(thumbnail.status, 200);
    const meta = await sharp(Buffer.from(await thumbnail.arrayBuffer())).metadata();
    assert.equal(meta.format, 'png');
    assert.ok(meta.width <= 64);
    const badSize = await fetch(`${api.url}/files/images/${image.id}/thumbnail?size=65`, {
      headers: headersFor({ cookie: viewer.cookie }),
    });
    assert.equal(badSize.status, 400);

    const mask = await fetch(`${api.url}/files/masks/${image.currentMaskId}`, {
      headers: headersFor({ cookie: viewer.cookie }),
    });
    const maskBytes = Buffer.from(await mask.arrayBuffer());
    assert.equal((await sharp(maskBytes).metadata()).channels, 1);
    const pixels = await sharp(maskBytes).toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
    assert.ok([...pixels.data].every((value) => value === 0 || value === 255));

    for (const headers of [{}, { cookie: 'vad_session=forged' }] as Record<string, string>[]) {
      const refused = await fetch(`${api.url}/files/images/${image.id}`, { headers });
      assert.equal(refused.status, 401);
      assert.equal(
        ((await refused.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code,
        'UNAUTHENTICATED',
      );
    }
    const unknown = await fetch(`${api.url}/files/images/00000000-0000-4000-8000-000000000000`, {
      headers: headersFor({ cookie: viewer.cookie }),
    });
    assert.equal(unknown.status, 404);
  });

  it('refuses a second dataset of the same name, and importing as a viewer', async () => {
    const folder = await makeFlatFolder(path.join(scratch, 'dup'), 2);
    const duplicate = await api.gql(IMPORT, { input: { path: folder, name: 'tiles' } }, { cookie: admin.cookie });
    assert.equal(duplicate.errors?.[0]?.extensions?.code, 'CONFLICT');
    const asViewer = await api.gql(IMPORT, { input: { path: folder } }, { cookie: viewer.cookie });
    assert.equal(asViewer.errors?.[0]?.extensions?.code, 'FORBIDDEN');
  });
});

describe('bad imports import nothing and name the problem', () => {
  async function refused(folder: string, pattern: RegExp): Promise<void> {
    const before = await api.prisma.image.count();
    const answer = await api.gql(
      IMPORT,
      { input: { path: folder, name: path.basename(folder) } },
      { cookie: admin.cookie },
    );
    assert.equal(answer.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT', JSON.stringify(answer.errors));
    assert.match(answer.errors?.[0]?.message ?? '', pattern);
    assert.ok(!(answer.errors?.[0]?.message ?? '').includes(scratch), 'no server paths in the message');
    assert.equal(await api.prisma.image.count(), before);
    assert.equal(await api.prisma.dataset.count({ where: { name: path.basename(folder) } }), 0);
  }

  it('a corrupt image', async () => {
    const folder = await makeMvtecFolder(path.join(scratch, 'corrupt'), { train: 3, defects: { crack: 1 } });
    writeFileSync(path.join(folder, 'train', 'good', '001.png'), Buffer.from('this is not a png at all'));
    await refused(folder, /train\/good\/001\.png: cannot decode image/);
  });

  it('a truncated image', async () => {
    const folder = await makeMvtecFolder(path.join(scratch, 'truncated'), { train: 3, defects: { crack: 1 } });
    const file = path.join(folder, 'test', 'crack', '000.png');
    const bytes = readFileSync(file);
    writeFileSync(file, bytes.subarray(0, Math.floor(bytes.length / 2)));
    await refused(folder, /test\/crack\/000\.png: cannot decode image/);
  });

  it('an image over the pixel limit', async () => {
    const folder = await makeMvtecFolder(path.join(scratch, 'huge'), { train: 3, defects: { crack: 1 } });
    writeFileSync(path.join(folder, 'train', 'good', '002.png'), await grayPng(64, 1));
    await refused(folder, /002\.png: 64 x 64 = 4096 pixels, more than the limit of 2304/);
  });

  it('a mask of another size than its image', async () => {
    const folder = await makeMvtecFolder(path.join(scratch, 'mismatch'), { train: 3, defects: { crack: 1 } });
    writeFileSync(
      path.join(folder, 'ground_truth', 'crack', '000_mask.png'),
      await maskPng(32, { x: 5, y: 5, r: 2 }, 30),
    );
    await refused(folder, /000_mask\.png: mask is 30 x 32 but its image test\/crack\/000\.png is 32 x 32/);
  });

  it('a folder that is not a dataset, a relative path, a missing folder', async () => {
    const empty = path.join(scratch, 'empty');
    mkdirSync(path.join(empty, 'nothing'), { recursive: true });
    await refused(empty, /unrecognised layout/);
    for (const folder of ['relative/path', path.join(scratch, 'missing')]) {
      const answer = await api.gql(IMPORT, { input: { path: folder } }, { cookie: admin.cookie });
      assert.equal(answer.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
      assert.equal(answer.errors?.[0]?.extensions?.field, 'path');
    }
    const both = await api.gql(
      IMPORT,
      { input: { path: empty, uploadId: '00000000-0000-4000-8000-000000000000' } },
      { cookie: admin.cookie },
    );
    assert.match(both.errors?.[0]?.message ?? '', /exactly one of path/);
  });
});

describe('importDataset from an uploaded zip', () => {
  it('imports a zipped MVTec folder wrapped in a top-level folder, and consumes the upload', async () => {
    const folder = await makeMvtecFolder(path.join(scratch, 'zipped'), { train: 4, defects: { scratch: 2 } });
    const sent = await upload(zipFolder(folder, 'zipped/'));
    assert.equal(sent.status, 201);
    const data = await api.ok<{ importDataset: ImportedDataset }>(
      IMPORT,
      { input: { uploadId: sent.json.id, name: 'from zip' } },
      { cookie: admin.cookie },
    );
    assert.equal(data.importDataset.layout, 'MVTEC');
    assert.deepEqual(data.importDataset.defectTypes, ['scratch']);
    assert.equal(data.importDataset.counts.images, 8);
    const again = await api.gql(IMPORT, { input: { uploadId: sent.json.id, name: 'twice' } }, { cookie: admin.cookie });
    assert.equal(again.errors?.[0]?.extensions?.code, 'FAILED_PRECONDITION');
    assert.deepEqual(readdirSync(api.app.services.files.uploadsDir), [], 'the zip and its extraction are gone');
  });

  it('imports a flat zip of images as unlabeled test images into a dataset made with createDataset', async () => {
    const created = await api.ok<{ createDataset: { id: string; layout: string } }>(
      'mutation { createDataset(input: { name: "to annotate", description: "field photos" }) { id layout } }',
      {},
      { cookie: admin.cookie },
    );
    assert.equal(created.createDataset.layout, 'EMPTY');
    const sent = await upload(zipFolder(await makeFlatFolder(path.join(scratch, 'flat'), 3)));
    const data = await api.ok<{ importDataset: ImportedDataset & { description: string } }>(
      `mutation($input: ImportDatasetInput!) { importDataset(input: $input) { id name layout description counts { images test unlabeled } } }`,
      { input: { uploadId: sent.json.id, datasetId: created.createDataset.id } },
      { cookie: admin.cookie },
    );
    assert.equal(data.importDataset.id, created.createDataset.id);
    assert.equal(data.importDataset.name, 'to annotate');
    assert.equal(data.importDataset.description, 'field photos');
    assert.equal(data.importDataset.layout, 'UNLABELED_FOLDER');
    assert.deepEqual(data.importDataset.counts, { images: 3, test: 3, unlabeled: 3 });
    const refill = await upload(zipFolder(path.join(scratch, 'flat')));
    const twice = await api.gql(
      IMPORT,
      { input: { uploadId: refill.json.id, datasetId: created.createDataset.id } },
      { cookie: admin.cookie },
    );
    assert.equal(twice.errors?.[0]?.extensions?.code, 'FAILED_PRECONDITION');
  });

  it('refuses zip slip, absolute paths and links, writing nothing outside', async () => {
    const png = await grayPng(16, 1);
    const outside = path.join(api.app.services.files.root, 'evil.png');
    const cases: { entries: Parameters<typeof makeZip>[0]; pattern: RegExp }[] = [
      {
        entries: [
          { name: 'good.png', data: png },
          { name: '../evil.png', data: png },
        ],
        pattern: /path traversal/,
      },
      { entries: [{ name: 'a/../../evil.png', data: png }], pattern: /path traversal/ },
      { entries: [{ name: '/tmp/evil.png', data: png }], pattern: /path traversal/ },
      { entries: [{ name: 'link.png', data: Buffer.from('/etc/passwd'), mode: 0o120777 }], pattern: /symbolic link/ },
    ];
    for (const { entries, pattern } of cases) {
      const sent = await upload(makeZip(entries));
      assert.equal(sent.status, 201);
      const answer = await api.gql(
        IMPORT,
        { input: { uploadId: sent.json.id, name: 'evil' } },
        { cookie: admin.cookie },
      );
      assert.equal(answer.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT', JSON.stringify(answer.errors));
      assert.match(answer.errors?.[0]?.message ?? '', pattern);
      assert.equal(existsSync(outside), false);
      assert.equal(existsSync('/tmp/evil.png'), false);
    }
    assert.equal(await api.prisma.dataset.count({ where: { name: 'evil' } }), 0);
  });

  it('names the zip, not the server folder it was unpacked in, when it holds no images', async () => {
    const sent = await upload(makeZip([{ name: 'notes.txt', data: Buffer.from('no images here') }]));
    const answer = await api.gql(
      IMPORT,
      { input: { uploadId: sent.json.id, name: 'notes' } },
      { cookie: admin.cookie },
    );
    assert.equal(answer.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
    assert.equal(answer.errors?.[0]?.message, 'data.zip holds no images');
  });

  it('refuses what is not a zip, an upload over the size limit, and uploads by non-admins', async () => {
    const notZip = await upload(Buffer.from('plain text, not a zip'));
    assert.equal(notZip.status, 400);
    const huge = await upload(Buffer.alloc(300_000, 1));
    assert.equal(huge.status, 413);
    assert.equal((huge.json.errors as { extensions: { code: string } }[])[0]!.extensions.code, 'PAYLOAD_TOO_LARGE');
    const byViewer = await upload(makeZip([{ name: 'a.png', data: await grayPng(16, 2) }]), { cookie: viewer.cookie });
    assert.equal(byViewer.status, 403);
    const anonymous = await upload(makeZip([{ name: 'a.png', data: await grayPng(16, 2) }]), null);
    assert.equal(anonymous.status, 401);
  });
});

describe('deleteDataset', () => {
  it('removes the dataset, its rows and the files no other dataset uses', async () => {
    const folder = await makeMvtecFolder(path.join(scratch, 'doomed'), { size: 40, train: 3, defects: { dent: 1 } });
    const first = await importPath(folder, 'doomed');
    // The same files in a second dataset: shared content must survive the first one's deletion.
    const second = await importPath(folder, 'doomed twin');
    const hashes = (await api.prisma.image.findMany({ where: { datasetId: first.id } })).map(
      (image) => image.contentHash,
    );
    const refused = await api.gql(
      'mutation($id: ID!) { deleteDataset(id: $id) }',
      { id: first.id },
      { cookie: viewer.cookie },
    );
    assert.equal(refused.errors?.[0]?.extensions?.code, 'FORBIDDEN');
    await api.ok('mutation($id: ID!) { deleteDataset(id: $id) }', { id: first.id }, { cookie: admin.cookie });
    assert.equal(await api.prisma.image.count({ where: { datasetId: first.id } }), 0);
    assert.ok(
      hashes.every((hash) => api.app.services.files.has(hash)),
      'shared files stay',
    );
    await api.ok('mutation($id: ID!) { deleteDataset(id: $id) }', { id: second.id }, { cookie: admin.cookie });
    assert.ok(
      hashes.every((hash) => !api.app.services.files.has(hash)),
      'unused files go',
    );
    const missing = await api.gql(
      'mutation($id: ID!) { deleteDataset(id: $id) }',
      { id: second.id },
      { cookie: admin.cookie },
    );
    assert.equal(missing.errors?.[0]?.extensions?.code, 'NOT_FOUND');
  });
});
