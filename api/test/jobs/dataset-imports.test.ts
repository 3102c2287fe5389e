// importDataset as a queued job (issue 13): startDatasetImport runs the same import on a worker, with progress
// (images copied of all) over datasetImportProgress; what can be refused at once is refused with importDataset's
// errors, and a bad file fails the job naming it, leaving no dataset behind.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { startWorker, type StartedWorker } from '../../src/worker';
import { headersFor, startTestApi, type TestApi, type TestUser } from '../support/api';
import { makeMvtecFolder } from '../support/fixtures';
import { subscribe } from '../support/subscriptions';
import { waitFor } from '../support/wait';
import { zipFolder } from '../support/zip';

let api: TestApi;
let worker: StartedWorker;
let admin: TestUser;
let viewer: TestUser;
const scratch = mkdtempSync(path.join(os.tmpdir(), 'vad-dataset-imports-'));

interface ImportJob {
  id: string;
  status: string;
  progress: number;
  phase: string;
  error: string | null;
  source: string;
  layout: string | null;
  imageCount: number;
  dataset: { id: string; name: string; counts: Record<string, number> } | null;
}

const FIELDS =
  'id status progress phase error source layout imageCount ' +
  'dataset { id name counts { images train test normal anomalous unlabeled } }';
const START = `mutation($input: ImportDatasetInput!) { startDatasetImport(input: $input) { ${FIELDS} } }`;
const PROGRESS = `subscription($id: ID!) { datasetImportProgress(id: $id) { ${FIELDS} } }`;

before(async () => {
  api = await startTestApi('dataset-imports', (config) => {
    config.worker.heartbeatMs = 300;
    config.worker.pollIntervalSeconds = 1;
  });
  admin = await api.user('ADMIN');
  viewer = await api.user('VIEWER');
  // Told of every dataset import, so that the events the job sends can be counted (nothing listens on port 9).
  await api.ok(
    'mutation($i: CreateWebhookInput!) { createWebhook(input: $i) { webhook { id } } }',
    { i: { url: 'http://127.0.0.1:9/imports', events: ['DATASET_IMPORT_SUCCEEDED', 'DATASET_IMPORT_FAILED'] } },
    { cookie: admin.cookie },
  );
  worker = await startWorker(api.config, api.databaseUrl, () => {});
});
after(async () => {
  await worker.stop();
  await api.close();
  rmSync(scratch, { recursive: true, force: true });
});

async function start(input: Record<string, unknown>): Promise<ImportJob> {
  const { startDatasetImport } = await api.ok<{ startDatasetImport: ImportJob }>(
    START,
    { input },
    { cookie: admin.cookie },
  );
  assert.equal(startDatasetImport.status, 'QUEUED');
  assert.equal(startDatasetImport.dataset, null);
  return startDatasetImport;
}

/** Every event of the job's subscription up to its end. */
async function follow(id: string): Promise<ImportJob[]> {
  const subscription = await subscribe<{ datasetImportProgress: ImportJob }>(
    api.url,
    PROGRESS,
    { id },
    { cookie: viewer.cookie },
  );
  const seen: ImportJob[] = [];
  try {
    for (;;) {
      const event = (await subscription.next(30_000)).datasetImportProgress;
      seen.push(event);
      if (['SUCCEEDED', 'FAILED'].includes(event.status)) break;
    }
    // Completed after the end: nothing more comes.
    await assert.rejects(subscription.next(2000));
  } finally {
    await subscription.close();
  }
  return seen;
}

async function finished(id: string): Promise<ImportJob> {
  return waitFor(`dataset import ${id}`, async () => {
    const { datasetImport } = await api.ok<{ datasetImport: ImportJob }>(
      `query($id: ID!) { datasetImport(id: $id) { ${FIELDS} } }`,
      { id },
      { cookie: viewer.cookie },
    );
    return ['SUCCEEDED', 'FAILED'].includes(datasetImport.status) ? datasetImport : undefined;
  });
}

async function upload(zip: Buffer, name: string): Promise<string> {
  const response = await fetch(`${api.url}/uploads?name=${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/zip', ...headersFor({ cookie: admin.cookie }) },
    body: zip,
  });
  assert.equal(response.status, 201);
  return ((await response.json()) as { id: string }).id;
}

const deliveries = (type: 'DATASET_IMPORT_SUCCEEDED' | 'DATASET_IMPORT_FAILED') =>
  api.prisma.webhookDelivery.findMany({ where: { eventType: type }, select: { payload: true } });

describe('startDatasetImport', () => {
  it('imports on a worker what importDataset imports, with progress rising to 1 over the subscription', async () => {
    const folder = await makeMvtecFolder(path.join(scratch, 'bottle'), {
      size: 24,
      train: 6,
      testGood: 2,
      defects: { crack: 3, hole: 2 },
    });
    const { importDataset: direct } = await api.ok<{
      importDataset: { counts: Record<string, number>; layout: string; defectTypes: string[] };
    }>(
      `mutation($p: String!) { importDataset(input: { path: $p, name: "direct" }) {
         layout defectTypes counts { images train test normal anomalous unlabeled } } }`,
      { p: folder },
      { cookie: admin.cookie },
    );
    const job = await start({ path: folder, name: 'queued', description: 'from a job' });
    assert.equal(job.source, 'bottle');
    const events = await follow(job.id);
    const last = events.at(-1)!;
    assert.equal(last.status, 'SUCCEEDED', last.error ?? '');
    assert.equal(last.progress, 1);
    assert.equal(last.layout, 'MVTEC');
    assert.equal(last.imageCount, 13);
    const progress = events.map((event) => event.progress);
    assert.deepEqual(
      progress,
      [...progress].sort((a, b) => a - b),
      'progress never goes back',
    );
    assert.ok(events.length >= 2, 'the state it was in when followed, then its end');
    assert.equal(last.dataset?.name, 'queued');
    assert.deepEqual(last.dataset?.counts, direct.counts);
    const made = await api.prisma.dataset.findUniqueOrThrow({ where: { id: last.dataset!.id } });
    assert.equal(made.description, 'from a job');
    assert.deepEqual(made.defectTypes, direct.defectTypes);
    assert.equal(await api.prisma.mask.count({ where: { datasetId: made.id } }), 5);
    const succeeded = await deliveries('DATASET_IMPORT_SUCCEEDED');
    assert.ok(
      succeeded.some((row) => (row.payload as { dataset: { id: string } }).dataset.id === made.id),
      'the job sends dataset_import.succeeded as importDataset does',
    );

    // A job that has ended: its state at once, then the end; node(id:) finds it.
    assert.deepEqual(
      (await follow(job.id)).map((event) => event.status),
      ['SUCCEEDED'],
    );
    const { node } = await api.ok<{ node: { __typename: string; status: string } }>(
      `query($id: ID!) { node(id: $id) { __typename ... on TrackedJob { status } } }`,
      { id: job.id },
      { cookie: viewer.cookie },
    );
    assert.deepEqual(node, { __typename: 'DatasetImport', status: 'SUCCEEDED' });
  });

  it('reports images copied of all, the figure the job turns into its progress', async () => {
    const folder = await makeMvtecFolder(path.join(scratch, 'steps'), { size: 24, train: 3, defects: { crack: 2 } });
    const steps: string[] = [];
    const viewerOfAdmin = {
      user: { id: admin.id, email: admin.email, name: 'admin', role: admin.role },
      credential: { kind: 'session' as const, sessionId: 'dataset-imports-test' },
    };
    await api.app.services.datasets.import(
      viewerOfAdmin,
      { path: folder, name: 'steps' },
      {
        onProgress: (step) =>
          steps.push(step.step === 'reading' ? `${step.done}/${step.total}` : `${step.step} ${JSON.stringify(step)}`),
      },
    );
    assert.deepEqual(steps, [
      '0/7',
      '1/7',
      '2/7',
      '3/7',
      '4/7',
      '5/7',
      '6/7',
      '7/7',
      'saving {"step":"saving","images":7}',
    ]);
  });

  it('refuses at once, with importDataset errors, a bad path, a taken name, an unknown upload', async () => {
    const folder = await makeMvtecFolder(path.join(scratch, 'refused'), { size: 24, train: 2 });
    await api.ok(
      'mutation($p: String!) { importDataset(input: { path: $p, name: "taken" }) { id } }',
      { p: folder },
      {
        cookie: admin.cookie,
      },
    );
    const before = await api.prisma.datasetImport.count();
    const refusal = async (input: Record<string, unknown>) => {
      const answer = await api.gql(START, { input }, { cookie: admin.cookie });
      const error = answer.errors?.[0];
      return { code: error?.extensions?.code, field: error?.extensions?.field, message: error?.message ?? '' };
    };
    const taken = await refusal({ path: folder, name: 'taken' });
    assert.deepEqual([taken.code, taken.field], ['CONFLICT', 'name']);
    assert.match(taken.message, /a dataset named "taken" already exists/);
    for (const bad of ['relative/path', path.join(scratch, 'missing'), '/etc']) {
      const refused = await refusal({ path: bad, name: 'fresh' });
      assert.deepEqual([refused.code, refused.field], ['BAD_USER_INPUT', 'path'], bad);
    }
    assert.equal((await refusal({ uploadId: '00000000-0000-4000-8000-000000000000' })).code, 'NOT_FOUND');
    assert.equal(
      (await refusal({ path: folder, uploadId: '00000000-0000-4000-8000-000000000000' })).code,
      'BAD_USER_INPUT',
    );
    const forbidden = await api.gql(START, { input: { path: folder } }, { cookie: viewer.cookie });
    assert.equal(forbidden.errors?.[0]?.extensions?.code, 'FORBIDDEN');
    assert.equal(await api.prisma.datasetImport.count(), before, 'nothing was queued');

    const unknown = await subscribe<unknown>(
      api.url,
      'subscription { datasetImportProgress(id: "00000000-0000-4000-8000-000000000000") { id } }',
      {},
      { cookie: viewer.cookie },
    );
    try {
      await assert.rejects(unknown.next(3000), (error: unknown) => JSON.stringify(error).includes('NOT_FOUND'));
    } finally {
      await unknown.close();
    }
  });

  it('fails on a corrupt image in an uploaded zip, naming it, and leaves no dataset', async () => {
    const folder = await makeMvtecFolder(path.join(scratch, 'corrupt'), { size: 24, train: 4, defects: { crack: 2 } });
    writeFileSync(path.join(folder, 'train', 'good', '002.png'), Buffer.from('this is not a png at all'));
    const uploadId = await upload(zipFolder(folder), 'corrupt.zip');
    const datasets = await api.prisma.dataset.count();
    const images = await api.prisma.image.count();
    const job = await start({ uploadId, name: 'corrupt' });
    assert.equal(job.source, 'corrupt.zip');
    const ended = await finished(job.id);
    assert.equal(ended.status, 'FAILED');
    assert.match(ended.error ?? '', /train\/good\/002\.png: cannot decode image/);
    assert.ok(!(ended.error ?? '').includes(scratch), 'no server paths in the message');
    assert.equal(ended.dataset, null);
    assert.equal(await api.prisma.dataset.count(), datasets);
    assert.equal(await api.prisma.image.count(), images);
    assert.equal(await api.prisma.dataset.count({ where: { name: 'corrupt' } }), 0);
    const upload_ = await api.prisma.upload.findUniqueOrThrow({ where: { id: uploadId } });
    assert.equal(upload_.usedAt, null, 'the upload can be imported again');
    const failed = await deliveries('DATASET_IMPORT_FAILED');
    assert.ok(
      failed.some((row) => (row.payload as { datasetImport?: { id: string } }).datasetImport?.id === job.id),
      'the job sends dataset_import.failed',
    );
  });
});
