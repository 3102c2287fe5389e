// Housekeeping (issue 14): renaming and deleting datasets and runs with their rules, searching and sorting
// datasets, the name check asked before an upload, and the devices of live workers that startRun accepts.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { runtimeInfo } from '@vad/native';

import { exportFile } from '../../src/files/exports';
import { startWorkerPresence } from '../../src/jobs/worker-presence';
import { devicesOf } from '../../src/modules/worker/worker.service';
import { startTestApi, type TestApi, type TestUser } from '../support/api';
import { makeMvtecFolder } from '../support/fixtures';

let api: TestApi;
let admin: TestUser;
let viewer: TestUser;
const scratch = mkdtempSync(path.join(os.tmpdir(), 'vad-housekeeping-'));
const MISSING = '00000000-0000-4000-8000-000000000000';

before(async () => {
  api = await startTestApi('housekeeping');
  admin = await api.user('ADMIN');
  viewer = await api.user('VIEWER');
});
after(async () => {
  await api.close();
  rmSync(scratch, { recursive: true, force: true });
});

const asAdmin = () => ({ cookie: admin.cookie });

async function importFolder(name: string, train: number): Promise<string> {
  const folder = await makeMvtecFolder(path.join(scratch, name), { size: 24, train, defects: { dent: 1 } });
  const data = await api.ok<{ importDataset: { id: string } }>(
    'mutation($input: ImportDatasetInput!) { importDataset(input: $input) { id } }',
    { input: { path: folder, name } },
    asAdmin(),
  );
  return data.importDataset.id;
}

/** A run row in a given state, with one result whose map is a stored file (as a worker leaves them). */
async function runIn(datasetId: string, status: 'QUEUED' | 'RUNNING' | 'SUCCEEDED', map: Buffer) {
  const run = await api.prisma.run.create({
    data: { datasetId, options: {}, status, name: 'first try', finishedAt: status === 'SUCCEEDED' ? new Date() : null },
  });
  const image = await api.prisma.image.findFirstOrThrow({ where: { datasetId, split: 'TEST' } });
  const key = await api.app.services.files.put(map);
  await api.prisma.result.create({
    data: { runId: run.id, imageId: image.id, score: 0.5, mapKeys: [{ mapType: 'attention', key }] },
  });
  const folder = path.join(api.app.services.files.runsDir, run.id);
  mkdirSync(folder, { recursive: true });
  writeFileSync(path.join(folder, 'checkpoint.pt'), 'weights');
  return { id: run.id, key, folder };
}

const LIST = `query($search: String, $orderBy: DatasetOrder, $first: Int, $after: String) {
  datasets(search: $search, orderBy: $orderBy, first: $first, after: $after) {
    totalCount edges { node { name } } pageInfo { endCursor hasNextPage }
  }
}`;

interface ListAnswer {
  datasets: {
    totalCount: number;
    edges: { node: { name: string } }[];
    pageInfo: { endCursor: string; hasNextPage: boolean };
  };
}

describe('datasets: search, sort, name check and rename', () => {
  before(async () => {
    await importFolder('hk Bottle', 2);
    await importFolder('hk cable', 5);
    await importFolder('hk capsule', 3);
  });

  it('searches names in any case and sorts by name, creation time and image count, page by page', async () => {
    const names = async (variables: Record<string, unknown>) =>
      (await api.ok<ListAnswer>(LIST, { search: 'HK ', ...variables }, asAdmin())).datasets;
    assert.deepEqual(
      (await names({ orderBy: 'NAME_ASC' })).edges.map((edge) => edge.node.name),
      ['hk Bottle', 'hk cable', 'hk capsule'],
    );
    assert.deepEqual(
      (await names({ orderBy: 'NAME_DESC' })).edges.map((edge) => edge.node.name),
      ['hk capsule', 'hk cable', 'hk Bottle'],
    );
    assert.deepEqual(
      (await names({ orderBy: 'CREATED_AT_ASC' })).edges.map((edge) => edge.node.name),
      ['hk Bottle', 'hk cable', 'hk capsule'],
    );
    assert.deepEqual(
      (await names({ orderBy: 'CREATED_AT_DESC' })).edges.map((edge) => edge.node.name),
      ['hk capsule', 'hk cable', 'hk Bottle'],
    );
    // By image count through cursors, which then hold numbers.
    const first = await names({ orderBy: 'IMAGE_COUNT_DESC', first: 2 });
    assert.deepEqual(
      first.edges.map((edge) => edge.node.name),
      ['hk cable', 'hk capsule'],
    );
    const rest = await names({ orderBy: 'IMAGE_COUNT_DESC', first: 2, after: first.pageInfo.endCursor });
    assert.deepEqual(
      rest.edges.map((edge) => edge.node.name),
      ['hk Bottle'],
    );
    assert.equal(rest.pageInfo.hasNextPage, false);
    assert.deepEqual(
      (await names({ orderBy: 'IMAGE_COUNT_ASC' })).edges.map((edge) => edge.node.name),
      ['hk Bottle', 'hk capsule', 'hk cable'],
    );
    const one = await names({ search: 'CAPS' });
    assert.equal(one.totalCount, 1);
    // A cursor of the name order is not one of the image-count order.
    const wrong = await api.gql(LIST, { orderBy: 'IMAGE_COUNT_DESC', after: one.pageInfo.endCursor }, asAdmin());
    assert.equal(wrong.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
    const long = await api.gql(LIST, { search: 'x'.repeat(101) }, asAdmin());
    assert.equal(long.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
    assert.equal(long.errors?.[0]?.extensions?.field, 'search');
  });

  it('datasetNameAvailable says whether an import could take a name, and why not', async () => {
    const check = async (name: string) =>
      (
        await api.ok<{ datasetNameAvailable: { name: string; available: boolean; reason: string | null } }>(
          'query($name: String!) { datasetNameAvailable(name: $name) { name available reason } }',
          { name },
          asAdmin(),
        )
      ).datasetNameAvailable;
    assert.deepEqual(await check('  hk fresh '), { name: 'hk fresh', available: true, reason: null });
    assert.deepEqual(await check('hk cable'), {
      name: 'hk cable',
      available: false,
      reason: 'a dataset named "hk cable" already exists',
    });
    assert.equal((await check('-dash first')).available, false);
    assert.match((await check('-dash first')).reason!, /must start with a letter or digit/);
    assert.match((await check('x'.repeat(101))).reason!, /1 to 100 characters/);
    const byViewer = await api.gql('{ datasetNameAvailable(name: "a") { available } }', {}, { cookie: viewer.cookie });
    assert.equal(byViewer.errors?.[0]?.extensions?.code, 'FORBIDDEN');
  });

  it('renameDataset renames; a taken name is CONFLICT on name, a missing dataset NOT_FOUND, a viewer FORBIDDEN', async () => {
    const RENAME = 'mutation($input: RenameDatasetInput!) { renameDataset(input: $input) { id name } }';
    const id = await importFolder('hk to rename', 2);
    const renamed = await api.ok<{ renameDataset: { id: string; name: string } }>(
      RENAME,
      { input: { id, name: 'hk renamed ' } },
      asAdmin(),
    );
    assert.deepEqual(renamed.renameDataset, { id, name: 'hk renamed' });
    const taken = await api.gql(RENAME, { input: { id, name: 'hk cable' } }, asAdmin());
    assert.equal(taken.errors?.[0]?.extensions?.code, 'CONFLICT');
    assert.equal(taken.errors?.[0]?.extensions?.field, 'name');
    const bad = await api.gql(RENAME, { input: { id, name: '../etc' } }, asAdmin());
    assert.equal(bad.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
    const missing = await api.gql(RENAME, { input: { id: MISSING, name: 'hk nothing' } }, asAdmin());
    assert.equal(missing.errors?.[0]?.extensions?.code, 'NOT_FOUND');
    const byViewer = await api.gql(RENAME, { input: { id, name: 'hk viewer' } }, { cookie: viewer.cookie });
    assert.equal(byViewer.errors?.[0]?.extensions?.code, 'FORBIDDEN');
    assert.equal((await api.prisma.dataset.findUniqueOrThrow({ where: { id } })).name, 'hk renamed');
  });
});

describe('runs: rename and delete', () => {
  const DELETE = 'mutation($id: ID!) { deleteRun(id: $id) }';

  it('renameRun changes the label only; over 200 characters is BAD_USER_INPUT', async () => {
    const datasetId = await importFolder('hk run names', 2);
    const run = await runIn(datasetId, 'SUCCEEDED', Buffer.from('rename map'));
    const RENAME = 'mutation($id: ID!, $name: String!) { renameRun(id: $id, name: $name) { id name status } }';
    const renamed = await api.ok<{ renameRun: { name: string; status: string } }>(
      RENAME,
      { id: run.id, name: ' baseline ' },
      asAdmin(),
    );
    assert.deepEqual(renamed.renameRun, { id: run.id, name: 'baseline', status: 'SUCCEEDED' });
    const long = await api.gql(RENAME, { id: run.id, name: 'x'.repeat(201) }, asAdmin());
    assert.equal(long.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
    const missing = await api.gql(RENAME, { id: MISSING, name: 'x' }, asAdmin());
    assert.equal(missing.errors?.[0]?.extensions?.code, 'NOT_FOUND');
  });

  it('refuses to delete a queued or running run (cancel first), and one whose evaluation is pending', async () => {
    const datasetId = await importFolder('hk active runs', 2);
    for (const status of ['QUEUED', 'RUNNING'] as const) {
      const run = await runIn(datasetId, status, Buffer.from(`active ${status}`));
      const refused = await api.gql(DELETE, { id: run.id }, asAdmin());
      assert.equal(refused.errors?.[0]?.extensions?.code, 'FAILED_PRECONDITION');
      assert.equal(refused.errors?.[0]?.extensions?.status, status);
      assert.match(refused.errors?.[0]?.message ?? '', /cancel it first/);
      assert.ok(api.app.services.files.has(run.key));
    }
    const ended = await runIn(datasetId, 'SUCCEEDED', Buffer.from('evaluating'));
    await api.prisma.evaluation.create({ data: { runId: ended.id, status: 'RUNNING' } });
    const waiting = await api.gql(DELETE, { id: ended.id }, asAdmin());
    assert.equal(waiting.errors?.[0]?.extensions?.code, 'FAILED_PRECONDITION');
    assert.match(waiting.errors?.[0]?.message ?? '', /evaluation/);
    const predicting = await runIn(datasetId, 'SUCCEEDED', Buffer.from('predicting'));
    await api.prisma.prediction.create({ data: { runId: predicting.id, status: 'QUEUED' } });
    const predictionWaits = await api.gql(DELETE, { id: predicting.id }, asAdmin());
    assert.equal(predictionWaits.errors?.[0]?.extensions?.code, 'FAILED_PRECONDITION');
    assert.match(predictionWaits.errors?.[0]?.message ?? '', /1 prediction\(s\)/);
    // Nor the dataset while its runs are active: deleting it asks the same.
    const dataset = await api.gql('mutation($id: ID!) { deleteDataset(id: $id) }', { id: datasetId }, asAdmin());
    assert.equal(dataset.errors?.[0]?.extensions?.code, 'FAILED_PRECONDITION');
  });

  it('deletes an ended run with its results and folder; files another run names stay', async () => {
    const datasetId = await importFolder('hk ended runs', 2);
    const shared = Buffer.from('map both runs name');
    const doomed = await runIn(datasetId, 'SUCCEEDED', shared);
    const own = await api.app.services.files.put(Buffer.from('map only the doomed run names'));
    const image = await api.prisma.image.findFirstOrThrow({ where: { datasetId, split: 'TRAIN' } });
    await api.prisma.result.create({
      data: { runId: doomed.id, imageId: image.id, score: 0.1, mapKeys: [{ mapType: 'attention', key: own }] },
    });
    // A finished prediction of the run, whose image and map only it names, and a finished export with its zip.
    const predictedImage = await api.app.services.files.put(Buffer.from('an uploaded image only predicted'));
    const predictedMap = await api.app.services.files.put(Buffer.from('a predicted map'));
    await api.prisma.prediction.create({
      data: {
        runId: doomed.id,
        status: 'SUCCEEDED',
        images: {
          create: {
            position: 0,
            name: 'new.png',
            contentHash: predictedImage,
            mimeType: 'image/png',
            width: 24,
            height: 24,
            score: 0.3,
            scores: { attention: 0.3 },
            mapKeys: [{ mapType: 'attention', key: predictedMap }],
          },
        },
      },
    });
    const exported = await api.prisma.export.create({
      data: { kind: 'RUN', runId: doomed.id, datasetId, status: 'SUCCEEDED', finishedAt: new Date() },
    });
    const zip = exportFile(api.app.services.files, exported.id);
    mkdirSync(path.dirname(zip), { recursive: true });
    writeFileSync(zip, 'zip');
    const kept = await runIn(datasetId, 'SUCCEEDED', shared);
    const byViewer = await api.gql(DELETE, { id: doomed.id }, { cookie: viewer.cookie });
    assert.equal(byViewer.errors?.[0]?.extensions?.code, 'FORBIDDEN');
    assert.deepEqual(await api.ok(DELETE, { id: doomed.id }, asAdmin()), { deleteRun: true });
    assert.equal(await api.prisma.run.count({ where: { id: doomed.id } }), 0);
    assert.equal(await api.prisma.result.count({ where: { runId: doomed.id } }), 0);
    assert.equal(api.app.services.files.has(own), false, 'a file only the run named goes');
    assert.equal(api.app.services.files.has(doomed.key), true, 'a file another run names stays');
    assert.equal(existsSync(doomed.folder), false, 'its checkpoints go');
    assert.equal(await api.prisma.prediction.count({ where: { runId: doomed.id } }), 0);
    assert.equal(api.app.services.files.has(predictedImage), false, 'an image only its prediction named goes');
    assert.equal(api.app.services.files.has(predictedMap), false);
    assert.equal(existsSync(zip), false, "its export's zip goes");
    assert.equal(existsSync(kept.folder), true);
    const again = await api.gql(DELETE, { id: doomed.id }, asAdmin());
    assert.equal(again.errors?.[0]?.extensions?.code, 'NOT_FOUND');
  });
});

describe('deleteDataset', () => {
  it("waits for the dataset's running jobs, then takes its runs' predictions and its exports' zips", async () => {
    const datasetId = await importFolder('hk dataset jobs', 2);
    const run = await runIn(datasetId, 'SUCCEEDED', Buffer.from('dataset jobs map'));
    const predictedMap = await api.app.services.files.put(Buffer.from('a map of a prediction of the dataset'));
    const image = await api.prisma.image.findFirstOrThrow({ where: { datasetId } });
    await api.prisma.prediction.create({
      data: {
        runId: run.id,
        status: 'SUCCEEDED',
        images: {
          create: {
            position: 0,
            imageId: image.id,
            name: image.name,
            contentHash: image.contentHash,
            mimeType: 'image/png',
            width: 24,
            height: 24,
            score: 0.2,
            scores: { attention: 0.2 },
            mapKeys: [{ mapType: 'attention', key: predictedMap }],
          },
        },
      },
    });
    const exported = await api.prisma.export.create({ data: { kind: 'MASKS', datasetId, status: 'RUNNING' } });
    const zip = exportFile(api.app.services.files, exported.id);
    mkdirSync(path.dirname(zip), { recursive: true });
    writeFileSync(zip, 'zip');
    const DELETE = 'mutation($id: ID!) { deleteDataset(id: $id) }';
    const waiting = await api.gql(DELETE, { id: datasetId }, asAdmin());
    assert.equal(waiting.errors?.[0]?.extensions?.code, 'FAILED_PRECONDITION');
    assert.match(waiting.errors?.[0]?.message ?? '', /1 export\(s\)/);
    await api.prisma.export.update({ where: { id: exported.id }, data: { status: 'SUCCEEDED' } });
    assert.deepEqual(await api.ok(DELETE, { id: datasetId }, asAdmin()), { deleteDataset: true });
    assert.equal(api.app.services.files.has(predictedMap), false, "a prediction's map goes with the dataset");
    assert.equal(existsSync(zip), false, "an export's zip goes with the dataset");
    assert.equal(existsSync(run.folder), false);
  });
});

describe('workerDevices and the device startRun accepts', () => {
  const START = 'mutation($input: StartRunInput!) { startRun(input: $input) { id } }';

  it('reads the devices from the native runtime description', () => {
    assert.deepEqual(devicesOf('LibTorch 2.1.0, no CUDA, 2 CPU threads'), { devices: ['cpu'], cudaDevices: 0 });
    assert.deepEqual(devicesOf('LibTorch 2.5.1, CUDA available (2 device(s)), 16 CPU threads'), {
      devices: ['cpu', 'cuda'],
      cudaDevices: 2,
    });
  });

  it("a worker's presence writes its devices, removes rows gone stale, and its own when it stops", async () => {
    await api.prisma.worker.deleteMany({});
    await api.prisma.worker.create({
      data: { id: 'dead:1', hostname: 'dead', devices: ['cpu'], heartbeatAt: new Date(Date.now() - 120_000) },
    });
    const lines: string[] = [];
    const presence = await startWorkerPresence(
      api.prisma,
      'presence:1',
      { intervalMs: 60_000, staleMs: 60_000 },
      (line) => lines.push(line),
    );
    try {
      const rows = await api.prisma.worker.findMany({ select: { id: true, devices: true } });
      const { devices } = devicesOf(runtimeInfo());
      assert.deepEqual(rows, [{ id: 'presence:1', devices }]);
      assert.match(lines.join('\n'), new RegExp(`devices: ${devices.join(', ')} \\(LibTorch `));
    } finally {
      await presence.stop();
    }
    assert.equal(await api.prisma.worker.count(), 0);
  });

  it('lists the devices of live workers only, and refuses cuda when none has it', async () => {
    const datasetId = await importFolder('hk devices', 2);
    await api.prisma.worker.deleteMany({});
    const devices = async () =>
      (await api.ok<{ workerDevices: unknown[] }>('{ workerDevices { device workers deviceCount } }', {}, asAdmin()))
        .workerDevices;
    assert.deepEqual(await devices(), []);
    const noWorker = await api.gql(START, { input: { datasetId, device: 'CUDA' } }, asAdmin());
    assert.equal(noWorker.errors?.[0]?.extensions?.code, 'FAILED_PRECONDITION');
    assert.equal(noWorker.errors?.[0]?.extensions?.reason, 'DEVICE_UNAVAILABLE');
    assert.match(noWorker.errors?.[0]?.message ?? '', /no worker is running/);
    await api.prisma.worker.create({ data: { id: 'cpu-box:1', hostname: 'cpu-box', devices: ['cpu'] } });
    // A GPU worker that stopped beating long ago is gone.
    await api.prisma.worker.create({
      data: {
        id: 'gpu-box:1',
        hostname: 'gpu-box',
        devices: ['cpu', 'cuda'],
        cudaDevices: 1,
        heartbeatAt: new Date(Date.now() - 10 * 60_000),
      },
    });
    assert.deepEqual(await devices(), [{ device: 'cpu', workers: 1, deviceCount: 0 }]);
    const cpuOnly = await api.gql(START, { input: { datasetId, device: 'CUDA' } }, asAdmin());
    assert.equal(cpuOnly.errors?.[0]?.extensions?.reason, 'DEVICE_UNAVAILABLE');
    assert.deepEqual(cpuOnly.errors?.[0]?.extensions?.available, ['cpu']);
    await api.ok(START, { input: { datasetId, device: 'CPU' } }, asAdmin());
    await api.ok(START, { input: { datasetId, device: 'AUTO' } }, asAdmin());
    await api.prisma.worker.update({ where: { id: 'gpu-box:1' }, data: { heartbeatAt: new Date() } });
    assert.deepEqual(await devices(), [
      { device: 'cpu', workers: 2, deviceCount: 0 },
      { device: 'cuda', workers: 1, deviceCount: 1 },
    ]);
    await api.ok(START, { input: { datasetId, device: 'CUDA' } }, asAdmin());
    await api.prisma.worker.deleteMany({});
  });
});
