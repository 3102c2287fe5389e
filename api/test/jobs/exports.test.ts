// Exports and mask imports as worker jobs (issue 13): a dataset's masks exported as PNGs and COCO and imported
// back (both ways) give the same pixels as new versions; bad files fail the import naming them and import
// nothing; a run's export holds its scores, report and every map's raw values equal to the stored ones, with
// predicted masks at the evaluation's thresholds; downloads check credentials and state.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { decodeFloatTiff } from '@vad/models';
import sharp from 'sharp';
import yauzl from 'yauzl';

import { rawMapValues } from '../../src/files/raw-maps';
import { encodeScoreMap } from '../../src/files/score-map';
import { startWorker, type StartedWorker } from '../../src/worker';
import { headersFor, startTestApi, type Credentials, type TestApi, type TestUser } from '../support/api';
import { makeMvtecFolder, maskPng } from '../support/fixtures';
import { subscribe } from '../support/subscriptions';
import { waitFor } from '../support/wait';
import { makeZip } from '../support/zip';

let api: TestApi;
let worker: StartedWorker;
let admin: TestUser;
let viewer: TestUser;
let datasetId: string;
/** The dataset's category, the top folder of a run export's MVTec AD layout. */
let category: string;
const scratch = mkdtempSync(path.join(os.tmpdir(), 'vad-exports-'));

interface Job {
  id: string;
  status: string;
  progress: number;
  phase: string;
  error: string | null;
}
interface ExportJob extends Job {
  downloadUrl: string | null;
  byteSize: number | null;
  fileCount: number;
}
interface ImportJob extends Job {
  format: string | null;
  maskCount: number;
}

const EXPORT_FIELDS = 'id status progress phase error downloadUrl byteSize fileCount';
const IMPORT_FIELDS = 'id status progress phase error format maskCount';

before(async () => {
  api = await startTestApi('exports', (config) => {
    config.worker.heartbeatMs = 300;
    config.worker.pollIntervalSeconds = 1;
  });
  admin = await api.user('ADMIN');
  viewer = await api.user('VIEWER');
  const folder = await makeMvtecFolder(path.join(scratch, 'data'), {
    size: 24,
    train: 3,
    testGood: 2,
    defects: { crack: 2, hole: 1 },
  });
  datasetId = (
    await api.ok<{ importDataset: { id: string } }>(
      'mutation($p: String!) { importDataset(input: { path: $p, name: "exports" }) { id } }',
      { p: folder },
      { cookie: admin.cookie },
    )
  ).importDataset.id;
  category = (await api.prisma.dataset.findUniqueOrThrow({ where: { id: datasetId } })).category;
  worker = await startWorker(api.config, api.databaseUrl, () => {});
});
after(async () => {
  await worker.stop();
  await api.close();
  rmSync(scratch, { recursive: true, force: true });
});

async function download(url: string, credentials: Credentials = { cookie: viewer.cookie }): Promise<Response> {
  return fetch(new URL(url, api.url), { headers: headersFor(credentials) });
}

async function unzip(bytes: Buffer): Promise<Map<string, Buffer>> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.fromBuffer(bytes, { lazyEntries: true }, (error, opened) => (error ? reject(error) : resolve(opened))),
  );
  const files = new Map<string, Buffer>();
  await new Promise<void>((resolve, reject) => {
    zip.on('error', reject);
    zip.on('end', () => resolve());
    zip.on('entry', (entry: yauzl.Entry) => {
      zip.openReadStream(entry, (error, stream) => {
        if (error) return reject(error);
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('error', reject);
        stream.on('end', () => {
          files.set(entry.fileName, Buffer.concat(chunks));
          zip.readEntry();
        });
      });
    });
    zip.readEntry();
  });
  return files;
}

/** A mask PNG's pixels as one grey channel (sharp decodes one channel as RGB unless told). */
async function grey(png: Buffer): Promise<Buffer> {
  return sharp(png).toColourspace('b-w').raw().toBuffer();
}

async function finishedExport(id: string): Promise<ExportJob> {
  return waitFor(`export ${id}`, async () => {
    const { export: job } = await api.ok<{ export: ExportJob }>(
      `query($id: ID!) { export(id: $id) { ${EXPORT_FIELDS} } }`,
      { id },
      { cookie: viewer.cookie },
    );
    return ['SUCCEEDED', 'FAILED'].includes(job.status) ? job : undefined;
  });
}

async function finishedImport(id: string): Promise<ImportJob> {
  return waitFor(`mask import ${id}`, async () => {
    const { maskImport: job } = await api.ok<{ maskImport: ImportJob }>(
      `query($id: ID!) { maskImport(id: $id) { ${IMPORT_FIELDS} } }`,
      { id },
      { cookie: viewer.cookie },
    );
    return ['SUCCEEDED', 'FAILED'].includes(job.status) ? job : undefined;
  });
}

async function upload(zip: Buffer, name = 'masks.zip'): Promise<string> {
  const response = await fetch(`${api.url}/uploads?name=${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/zip', ...headersFor({ cookie: admin.cookie }) },
    body: zip,
  });
  assert.equal(response.status, 201);
  return ((await response.json()) as { id: string }).id;
}

async function importMasks(zip: Buffer, format: string | null = null, name?: string): Promise<ImportJob> {
  const uploadId = await upload(zip, name);
  const started = await api.ok<{ importMasks: ImportJob }>(
    `mutation($d: ID!, $u: ID!, $f: MaskImportFormat) { importMasks(datasetId: $d, uploadId: $u, format: $f) { ${IMPORT_FIELDS} } }`,
    { d: datasetId, u: uploadId, f: format },
    { cookie: admin.cookie },
  );
  assert.equal(started.importMasks.status, 'QUEUED');
  return finishedImport(started.importMasks.id);
}

interface CurrentMask {
  name: string;
  currentMask: {
    id: string;
    version: number;
    source: string;
    status: string;
    maskImport: { id: string } | null;
  } | null;
}

async function currentMasks(): Promise<Map<string, CurrentMask['currentMask']>> {
  const { dataset } = await api.ok<{ dataset: { images: { edges: { node: CurrentMask }[] } } }>(
    `query($id: ID!) { dataset(id: $id) { images(first: 100) { edges { node {
       name currentMask { id version source status maskImport { id } }
     } } } } }`,
    { id: datasetId },
    { cookie: viewer.cookie },
  );
  return new Map(dataset.images.edges.map(({ node }) => [node.name, node.currentMask]));
}

async function maskPixels(maskId: string): Promise<Buffer> {
  const response = await download(`/files/masks/${maskId}`);
  assert.equal(response.status, 200);
  return grey(Buffer.from(await response.arrayBuffer()));
}

describe('mask export and import', () => {
  let exported: Map<string, Buffer>;
  let exportedZip: Buffer;
  const before = new Map<string, Buffer>();

  it('exports the approved masks as MVTec AD PNGs and COCO', async () => {
    for (const [name, mask] of await currentMasks()) if (mask) before.set(name, await maskPixels(mask.id));
    assert.deepEqual([...before.keys()].sort(), ['test/crack/000', 'test/crack/001', 'test/hole/000']);

    const { exportMasks } = await api.ok<{ exportMasks: ExportJob }>(
      `mutation($d: ID!) { exportMasks(datasetId: $d, which: APPROVED) { ${EXPORT_FIELDS} } }`,
      { d: datasetId },
      { cookie: admin.cookie },
    );
    assert.equal(exportMasks.status, 'QUEUED');
    assert.equal(exportMasks.downloadUrl, null);
    const done = await finishedExport(exportMasks.id);
    assert.equal(done.status, 'SUCCEEDED', done.error ?? '');
    assert.equal(done.progress, 1);
    assert.equal(done.downloadUrl, `${api.url}/files/exports/${exportMasks.id}.zip`);
    assert.equal(done.fileCount, 4);
    const { export: described } = await api.ok<{
      export: { kind: string; which: string; run: null; dataset: { id: string } };
    }>(
      `query($id: ID!) { export(id: $id) { kind which run { id } dataset { id } } }`,
      { id: exportMasks.id },
      { cookie: viewer.cookie },
    );
    assert.deepEqual(described, { kind: 'MASKS', which: 'APPROVED', run: null, dataset: { id: datasetId } });

    const response = await download(done.downloadUrl!);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'application/zip');
    exportedZip = Buffer.from(await response.arrayBuffer());
    assert.equal(exportedZip.length, done.byteSize);
    exported = await unzip(exportedZip);
    assert.deepEqual([...exported.keys()].sort(), [
      'annotations.json',
      'ground_truth/crack/000_mask.png',
      'ground_truth/crack/001_mask.png',
      'ground_truth/hole/000_mask.png',
    ]);
    for (const [name, pixels] of before) {
      const [, defect, stem] = name.split('/');
      assert.deepEqual(await grey(exported.get(`ground_truth/${defect}/${stem}_mask.png`)!), pixels, name);
    }
    const coco = JSON.parse(exported.get('annotations.json')!.toString()) as {
      images: { id: number; file_name: string; width: number; height: number }[];
      categories: { id: number; name: string }[];
      annotations: { image_id: number; category_id: number; segmentation: { size: number[]; counts: string } }[];
    };
    assert.deepEqual(
      coco.categories.map((category) => category.name),
      ['crack', 'hole'],
    );
    assert.deepEqual(coco.images.map((image) => image.file_name).sort(), [
      'test/crack/000.png',
      'test/crack/001.png',
      'test/hole/000.png',
    ]);
    for (const annotation of coco.annotations) {
      assert.equal(typeof annotation.segmentation.counts, 'string', 'compressed RLE');
      assert.deepEqual(annotation.segmentation.size, [24, 24]);
    }
    // HEAD answers like GET without the body; without credentials the zip is refused.
    const head = await fetch(done.downloadUrl!, {
      method: 'HEAD',
      headers: headersFor({ cookie: viewer.cookie }),
    });
    assert.equal(head.status, 200);
    assert.equal(Number(head.headers.get('content-length')), exportedZip.length);
    assert.equal((await download(done.downloadUrl!, null)).status, 401);
  });

  it('imports the exported zip back as new versions with the same pixels (PNG, then COCO)', async () => {
    for (const [format, version] of [
      [null, 2],
      ['COCO', 3],
    ] as const) {
      const job = await importMasks(exportedZip, format);
      assert.equal(job.status, 'SUCCEEDED', job.error ?? '');
      assert.equal(job.format, format ?? 'PNG');
      assert.equal(job.maskCount, 3);
      const now = await currentMasks();
      for (const [name, pixels] of before) {
        const mask = now.get(name)!;
        assert.equal(mask.version, version, name);
        assert.equal(mask.source, 'MASK_IMPORT');
        assert.equal(mask.status, 'APPROVED');
        assert.equal(mask.maskImport?.id, job.id);
        assert.deepEqual(await maskPixels(mask.id), pixels, `${name} after the ${format ?? 'PNG'} import`);
      }
      assert.equal(now.get('test/good/000'), null, 'images the zip does not name keep no mask');
    }
  });

  it('fails an import naming the file at fault, and imports nothing', async () => {
    const versions = async () =>
      [...(await currentMasks()).entries()].map(([name, mask]) => `${name}:${mask?.version ?? 0}`).sort();
    const unchanged = await versions();
    const good = await maskPng(24, { x: 5, y: 5, r: 3 });
    const cases: [string, Buffer, string | null, RegExp][] = [
      [
        'an unknown image',
        makeZip([
          { name: 'ground_truth/crack/000_mask.png', data: good },
          { name: 'ground_truth/crack/404_mask.png', data: good },
        ]),
        null,
        /ground_truth\/crack\/404_mask\.png: names no image/,
      ],
      [
        'a mask of another size',
        makeZip([
          { name: 'ground_truth/crack/000_mask.png', data: good },
          { name: 'ground_truth/hole/000_mask.png', data: await maskPng(20, { x: 5, y: 5, r: 3 }) },
        ]),
        null,
        /ground_truth\/hole\/000_mask\.png is 20 x 20; its image test\/hole\/000 is 24 x 24/,
      ],
      [
        'a file that is no PNG',
        makeZip([{ name: 'ground_truth/crack/001_mask.png', data: Buffer.from('not a png at all') }]),
        null,
        /ground_truth\/crack\/001_mask\.png is not a readable PNG/,
      ],
      [
        'an RLE of another size',
        makeZip([
          {
            name: 'coco.json',
            data: Buffer.from(
              JSON.stringify({
                images: [{ id: 7, file_name: 'crack/000.png' }],
                annotations: [{ id: 70, image_id: 7, segmentation: { size: [3, 3], counts: '414' } }],
              }),
            ),
          },
        ]),
        'COCO',
        /coco\.json: image "crack\/000\.png", annotation 70: its RLE is 3 x 3/,
      ],
      [
        'a name that fits several images',
        makeZip([{ name: 'masks/000.png', data: good }]),
        null,
        /masks\/000\.png: could be any of test\/crack\/000, test\/good\/000, test\/hole\/000/,
      ],
    ];
    for (const [what, zip, format, message] of cases) {
      const job = await importMasks(zip, format);
      assert.equal(job.status, 'FAILED', what);
      assert.match(job.error ?? '', message, what);
      assert.equal(job.maskCount, 0);
    }
    assert.deepEqual(await versions(), unchanged);
  });

  it('refuses what cannot be queued: an unknown dataset or upload, an upload already imported, a run not done', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    const codeOf = async (query: string, variables: Record<string, unknown>) =>
      (await api.gql(query, variables, { cookie: admin.cookie })).errors?.[0]?.extensions?.code;
    assert.equal(
      await codeOf('mutation($d: ID!) { exportMasks(datasetId: $d, which: LATEST) { id } }', { d: missing }),
      'NOT_FOUND',
    );
    assert.equal(await codeOf('mutation($r: ID!) { exportRun(runId: $r) { id } }', { r: missing }), 'NOT_FOUND');
    assert.equal(
      await codeOf('mutation($d: ID!, $u: ID!) { importMasks(datasetId: $d, uploadId: $u) { id } }', {
        d: datasetId,
        u: missing,
      }),
      'NOT_FOUND',
    );
    const used = (await api.prisma.upload.findFirst({ where: { usedAt: { not: null } } }))!;
    assert.equal(
      await codeOf('mutation($d: ID!, $u: ID!) { importMasks(datasetId: $d, uploadId: $u) { id } }', {
        d: datasetId,
        u: used.id,
      }),
      'FAILED_PRECONDITION',
    );
    const queued = await api.prisma.run.create({ data: { datasetId, options: {}, layers: [] } });
    assert.equal(
      await codeOf('mutation($r: ID!) { exportRun(runId: $r) { id } }', { r: queued.id }),
      'FAILED_PRECONDITION',
    );
    await api.prisma.run.delete({ where: { id: queued.id } });
    // A download of an export not yet made is refused with its state.
    const waiting = await api.prisma.export.create({ data: { kind: 'MASKS', datasetId, masks: 'LATEST' } });
    assert.equal((await download(`/files/exports/${waiting.id}.zip`)).status, 409);
    assert.equal((await download(`/files/exports/${missing}.zip`)).status, 404);
    await api.prisma.export.delete({ where: { id: waiting.id } });
  });
});

describe('following an export or a mask import', () => {
  /** Every event of a subscription up to the job's end. */
  async function follow<T extends Job>(field: string, query: string, id: string): Promise<T[]> {
    const subscription = await subscribe<Record<string, T>>(api.url, query, { id }, { cookie: viewer.cookie });
    const seen: T[] = [];
    try {
      for (;;) {
        const event = (await subscription.next(30_000))[field]!;
        seen.push(event);
        if (['SUCCEEDED', 'FAILED'].includes(event.status)) return seen;
      }
    } finally {
      await subscription.close();
    }
  }

  it('sends the job as it is, then its changes, up to its end', async () => {
    const { exportMasks } = await api.ok<{ exportMasks: ExportJob }>(
      `mutation($d: ID!) { exportMasks(datasetId: $d, which: LATEST) { id } }`,
      { d: datasetId },
      { cookie: admin.cookie },
    );
    const exported = await follow<ExportJob>(
      'exportProgress',
      `subscription($id: ID!) { exportProgress(id: $id) { ${EXPORT_FIELDS} } }`,
      exportMasks.id,
    );
    const last = exported.at(-1)!;
    assert.equal(last.status, 'SUCCEEDED', last.error ?? '');
    assert.ok(last.downloadUrl);
    const progress = exported.map((event) => event.progress);
    assert.deepEqual(
      progress,
      [...progress].sort((a, b) => a - b),
      'progress never goes back',
    );

    const zip = Buffer.from(await (await download(last.downloadUrl)).arrayBuffer());
    const uploadId = await upload(zip);
    const { importMasks } = await api.ok<{ importMasks: ImportJob }>(
      `mutation($d: ID!, $u: ID!) { importMasks(datasetId: $d, uploadId: $u, approve: false) { id } }`,
      { d: datasetId, u: uploadId },
      { cookie: admin.cookie },
    );
    const imported = await follow<ImportJob>(
      'maskImportProgress',
      `subscription($id: ID!) { maskImportProgress(id: $id) { ${IMPORT_FIELDS} } }`,
      importMasks.id,
    );
    assert.equal(imported.at(-1)!.status, 'SUCCEEDED', imported.at(-1)!.error ?? '');
    assert.equal(imported.at(-1)!.maskCount, 3);
    for (const mask of (await currentMasks()).values()) if (mask) assert.equal(mask.status, 'SUBMITTED');

    // A job that has ended: its state at once, then the end.
    const again = await follow<ImportJob>(
      'maskImportProgress',
      `subscription($id: ID!) { maskImportProgress(id: $id) { ${IMPORT_FIELDS} } }`,
      importMasks.id,
    );
    assert.deepEqual(
      again.map((event) => event.status),
      ['SUCCEEDED'],
    );
    const refused = await subscribe<unknown>(
      api.url,
      'subscription { exportProgress(id: "not-a-uuid") { id } }',
      {},
      { cookie: viewer.cookie },
    );
    try {
      await assert.rejects(refused.next(3000), (error: unknown) => JSON.stringify(error).includes('BAD_USER_INPUT'));
    } finally {
      await refused.close();
    }
  });
});

describe('run export', () => {
  const MAP_SIZE = 8;
  let runId: string;
  /** Each result's stored maps, by image name and map type. */
  const stored = new Map<string, Map<string, Float32Array>>();

  before(async () => {
    // A succeeded run as a worker leaves it (results with stored maps, an evaluation), without training one.
    const run = await api.prisma.run.create({
      data: {
        datasetId,
        name: 'exported',
        options: { preset: 'TINY', epochs: 1 },
        layers: [],
        config: { train: { epochs: 1 } },
        status: 'SUCCEEDED',
        progress: 1,
        phase: 'done',
        finishedAt: new Date(),
      },
    });
    runId = run.id;
    const images = await api.prisma.image.findMany({ where: { datasetId, split: 'TEST' }, orderBy: { name: 'asc' } });
    let seed = 1;
    for (const image of images) {
      const maps = new Map<string, Float32Array>();
      const mapKeys: { mapType: string; key: string }[] = [];
      for (const mapType of ['attention', 'residual']) {
        const data = Float32Array.from(
          { length: MAP_SIZE * MAP_SIZE },
          (_, i) => Math.sin(i * 0.37 + seed++) * 0.5 + 0.5,
        );
        maps.set(mapType, data);
        mapKeys.push({
          mapType,
          key: await api.app.services.files.put(encodeScoreMap({ width: MAP_SIZE, height: MAP_SIZE, data })),
        });
      }
      stored.set(image.name, maps);
      const score = Math.max(...maps.get('attention')!);
      await api.prisma.result.create({
        data: {
          runId,
          imageId: image.id,
          score,
          scores: { attention: score, residual: Math.max(...maps.get('residual')!) },
          mapKeys,
        },
      });
    }
    await api.prisma.evaluation.create({
      data: {
        runId,
        status: 'SUCCEEDED',
        finishedAt: new Date(),
        metrics: {
          mapTypes: ['attention', 'residual'],
          maps: {
            attention: { overall: { imageAuroc: 0.75, f1Threshold: 0.5, imageThreshold: 0.9 }, perDefect: {} },
            residual: { overall: { imageAuroc: 0.5, f1Threshold: null }, perDefect: {} },
          },
        },
      },
    });
  });

  it("holds the scores, the report, every map's raw values and the predicted masks", async () => {
    const { exportRun } = await api.ok<{ exportRun: ExportJob }>(
      `mutation($r: ID!) { exportRun(runId: $r) { ${EXPORT_FIELDS} } }`,
      { r: runId },
      { cookie: admin.cookie },
    );
    const done = await finishedExport(exportRun.id);
    assert.equal(done.status, 'SUCCEEDED', done.error ?? '');
    const files = await unzip(Buffer.from(await (await download(done.downloadUrl!)).arrayBuffer()));
    const names = [...stored.keys()];
    const pathOf = (name: string) => `${category}/test/${name.split('/')[1]}/${name.split('/')[2]}`;
    const expected = [
      'report.json',
      'scores.csv',
      ...names.flatMap((name) => [
        `maps/attention/${pathOf(name)}.tiff`,
        `maps/residual/${pathOf(name)}.tiff`,
        // The residual map has no F1 threshold in the evaluation: no predicted masks for it.
        `predicted/attention/${pathOf(name)}.png`,
      ]),
    ];
    assert.deepEqual([...files.keys()].sort(), expected.sort());
    assert.equal(done.fileCount, expected.length);

    const results = await api.prisma.result.findMany({ where: { runId }, include: { image: true } });
    for (const result of results) {
      const { width, height, name } = result.image;
      for (const mapType of ['attention', 'residual']) {
        const tiff = files.get(`maps/${mapType}/${pathOf(name)}.tiff`)!;
        const values = decodeFloatTiff(tiff);
        assert.deepEqual([values.width, values.height], [width, height]);
        const raw = rawMapValues(
          { width: MAP_SIZE, height: MAP_SIZE, data: stored.get(name)!.get(mapType)! },
          width,
          height,
        );
        assert.deepEqual(values.data, raw, `${name} ${mapType}: the stored map's values at the image's size`);
        // The same bytes as the result's own TIFF route.
        const served = await download(`/files/results/${result.id}/${mapType}.tiff`);
        assert.ok(Buffer.from(await served.arrayBuffer()).equals(tiff), `${name} ${mapType} equals the served TIFF`);
      }
      const predicted = await grey(files.get(`predicted/attention/${pathOf(name)}.png`)!);
      const attention = rawMapValues(
        { width: MAP_SIZE, height: MAP_SIZE, data: stored.get(name)!.get('attention')! },
        width,
        height,
      );
      assert.deepEqual(
        [...predicted],
        Array.from(attention, (value) => (value >= 0.5 ? 255 : 0)),
        name,
      );
    }

    const csv = files.get('scores.csv')!.toString().trim().split('\n');
    assert.equal(csv[0], 'image,label,defect_type,score,attention,residual');
    assert.equal(csv.length, results.length + 1);
    const byScore = [...results].sort((a, b) => b.score - a.score);
    assert.deepEqual(
      csv.slice(1).map((line) => line.split(',')[0]),
      byScore.map((result) => result.image.name),
      'most anomalous first',
    );
    const top = byScore[0]!;
    assert.equal(
      csv[1],
      [
        top.image.name,
        top.image.label,
        top.image.defectType,
        top.score,
        top.score,
        (top.scores as Record<string, number>).residual,
      ].join(','),
    );

    const report = JSON.parse(files.get('report.json')!.toString()) as {
      run: { id: string; options: unknown; config: unknown };
      evaluation: { metrics: { maps: { attention: { overall: { imageAuroc: number } } } } };
      predictedMaskThresholds: unknown;
      decision: unknown;
      images: unknown[];
    };
    assert.equal(report.run.id, runId);
    assert.deepEqual(report.run.options, { preset: 'TINY', epochs: 1 });
    assert.deepEqual(report.run.config, { train: { epochs: 1 } });
    assert.equal(report.evaluation.metrics.maps.attention.overall.imageAuroc, 0.75);
    assert.deepEqual(report.predictedMaskThresholds, { attention: 0.5, residual: null });
    assert.deepEqual(report.decision, { threshold: 0.9, source: 'EVALUATION' });
    assert.equal(report.images.length, results.length);
  });

  it('fails, leaving no file behind, when a stored map cannot be read', async () => {
    const image = await api.prisma.image.findFirstOrThrow({ where: { datasetId, split: 'TEST' } });
    const broken = await api.prisma.run.create({
      data: { datasetId, options: {}, layers: [], status: 'SUCCEEDED', finishedAt: new Date() },
    });
    await api.prisma.result.create({
      data: { runId: broken.id, imageId: image.id, score: 1, mapKeys: [{ mapType: 'attention', key: 'f'.repeat(64) }] },
    });
    const { exportRun } = await api.ok<{ exportRun: ExportJob }>(
      `mutation($r: ID!) { exportRun(runId: $r) { ${EXPORT_FIELDS} } }`,
      { r: broken.id },
      { cookie: admin.cookie },
    );
    const done = await finishedExport(exportRun.id);
    assert.equal(done.status, 'FAILED');
    assert.match(done.error ?? '', /ENOENT/);
    assert.doesNotMatch(done.error ?? '', new RegExp(api.dataDir), 'no server path in the error');
    assert.equal(done.downloadUrl, null);
    const left = readdirSync(path.join(api.dataDir, 'exports')).filter((name) => !name.endsWith('.zip'));
    assert.deepEqual(left, [], 'no half-written zip');
    assert.equal((await download(`/files/exports/${exportRun.id}.zip`)).status, 409);
  });
});
