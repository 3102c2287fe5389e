// Predictions (issue 13): predict scores images of a dataset and of an uploaded zip with a succeeded run's model on
// a worker; an image of the run's test set gets the score its Result has, maps are served like results' (raw TIFF
// and NPY too); an unknown or unfinished run is refused with a code; the checkpoint is for admins only.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { decodeFloatTiff, decodeNpy } from '@vad/models';
import sharp from 'sharp';

import { startWorker, type StartedWorker } from '../../src/worker';
import { headersFor, startTestApi, type Credentials, type TestApi, type TestUser } from '../support/api';
import { makeMvtecFolder } from '../support/fixtures';
import { subscribe } from '../support/subscriptions';
import { waitFor } from '../support/wait';
import { makeZip } from '../support/zip';

let api: TestApi;
let worker: StartedWorker;
let admin: TestUser;
let annotator: TestUser;
let viewer: TestUser;
let datasetId: string;
let runId: string;
let folder: string;
const scratch = mkdtempSync(path.join(os.tmpdir(), 'vad-predictions-'));

interface PredictionJob {
  id: string;
  status: string;
  progress: number;
  error: string | null;
  imageCount: number;
  images: {
    id: string;
    name: string;
    score: number;
    verdict: string | null;
    normalizedScore: number | null;
    width: number;
    height: number;
    image: { id: string } | null;
    thumbnailUrl: string;
    reconstructionUrl: string | null;
    scores: { mapType: string; score: number }[];
    maps: { mapType: string; url: string; tiffUrl: string; npyUrl: string; overlayUrl: string }[];
  }[];
}

const FIELDS = `id status progress error imageCount images {
  id name score verdict normalizedScore width height image { id } thumbnailUrl reconstructionUrl
  scores { mapType score } maps { mapType url tiffUrl npyUrl overlayUrl } }`;

before(async () => {
  api = await startTestApi('predictions', (config) => {
    config.worker.heartbeatMs = 300;
    config.worker.pollIntervalSeconds = 1;
  });
  admin = await api.user('ADMIN');
  annotator = await api.user('ANNOTATOR');
  viewer = await api.user('VIEWER');
  folder = await makeMvtecFolder(path.join(scratch, 'data'), {
    size: 32,
    train: 6,
    testGood: 2,
    defects: { crack: 2 },
  });
  datasetId = (
    await api.ok<{ importDataset: { id: string } }>(
      'mutation($p: String!) { importDataset(input: { path: $p, name: "predict" }) { id } }',
      { p: folder },
      { cookie: admin.cookie },
    )
  ).importDataset.id;
  worker = await startWorker(api.config, api.databaseUrl, () => {});
  runId = (
    await api.ok<{ startRun: { id: string } }>(
      'mutation($input: StartRunInput!) { startRun(input: $input) { id } }',
      { input: { datasetId, preset: 'TINY', epochs: 1 } },
      { cookie: admin.cookie },
    )
  ).startRun.id;
  await waitFor(
    `run ${runId} to finish`,
    async () => {
      const { run } = await api.ok<{ run: { status: string } }>(
        'query($id: ID!) { run(id: $id) { status } }',
        { id: runId },
        { cookie: viewer.cookie },
      );
      return ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(run.status) ? run : undefined;
    },
    90_000,
    200,
  );
});
after(async () => {
  await worker.stop();
  await api.close();
  rmSync(scratch, { recursive: true, force: true });
});

async function finished(id: string): Promise<PredictionJob> {
  return waitFor(
    `prediction ${id}`,
    async () => {
      const { prediction } = await api.ok<{ prediction: PredictionJob }>(
        `query($id: ID!) { prediction(id: $id) { ${FIELDS} } }`,
        { id },
        { cookie: viewer.cookie },
      );
      return ['SUCCEEDED', 'FAILED'].includes(prediction.status) ? prediction : undefined;
    },
    60_000,
    200,
  );
}

async function download(url: string, credentials: Credentials): Promise<Response> {
  return fetch(new URL(url, api.url), { headers: headersFor(credentials) });
}

describe('predict', () => {
  it("gives an image of the run's test set the score its Result has, with every map served", async () => {
    const { run } = await api.ok<{
      run: { status: string; results: { edges: { node: { score: number; image: { id: string } } }[] } };
    }>(
      'query($id: ID!) { run(id: $id) { status results(first: 10) { edges { node { score image { id } } } } } }',
      { id: runId },
      { cookie: viewer.cookie },
    );
    assert.equal(run.status, 'SUCCEEDED');
    const results = run.results.edges.map((edge) => edge.node);
    assert.ok(results.length >= 3);
    const { predict } = await api.ok<{ predict: { id: string; status: string } }>(
      'mutation($r: ID!, $i: [ID!]) { predict(runId: $r, imageIds: $i) { id status } }',
      { r: runId, i: results.map((result) => result.image.id) },
      { cookie: annotator.cookie },
    );
    assert.equal(predict.status, 'QUEUED');
    const done = await finished(predict.id);
    assert.equal(done.status, 'SUCCEEDED', done.error ?? '');
    assert.equal(done.imageCount, results.length);
    for (const [i, result] of results.entries()) {
      const image = done.images[i]!;
      assert.equal(image.image?.id, result.image.id);
      // Through pg's float8 both ways: the same number, not merely a close one.
      assert.ok(Math.abs(image.score - result.score) <= 1e-6 * Math.max(1, Math.abs(result.score)), image.name);
      assert.ok(image.verdict === null || ['NORMAL', 'ANOMALOUS'].includes(image.verdict));
    }
    const image = done.images[0]!;
    assert.deepEqual(
      image.maps.map((map) => map.mapType),
      image.scores.map((score) => score.mapType),
    );
    const attention = image.maps.find((map) => map.mapType === 'attention')!;
    const tiff = decodeFloatTiff(
      Buffer.from(await (await download(attention.tiffUrl, { cookie: viewer.cookie })).arrayBuffer()),
    );
    const npy = decodeNpy(
      Buffer.from(await (await download(attention.npyUrl, { cookie: viewer.cookie })).arrayBuffer()),
    );
    assert.deepEqual([tiff.width, tiff.height], [image.width, image.height]);
    assert.deepEqual(npy.data, tiff.data);
    for (const url of [attention.url, attention.overlayUrl, image.thumbnailUrl, image.reconstructionUrl!]) {
      const response = await download(url, { cookie: viewer.cookie });
      assert.equal(response.status, 200, url);
      assert.equal((await sharp(Buffer.from(await response.arrayBuffer())).metadata()).format, 'png', url);
    }
  });

  it('scores the images of an uploaded zip (an annotator may upload), followed over the subscription', async () => {
    const good = readFileSync(path.join(folder, 'test/good/000.png'));
    const crack = readFileSync(path.join(folder, 'test/crack/000.png'));
    const zip = makeZip([
      { name: 'new/a.png', data: good },
      { name: 'new/b.png', data: crack },
      { name: 'notes.txt', data: Buffer.from('not an image') },
    ]);
    const response = await fetch(`${api.url}/uploads?name=new-images.zip`, {
      method: 'POST',
      headers: { 'content-type': 'application/zip', ...headersFor({ cookie: annotator.cookie }) },
      body: zip,
    });
    assert.equal(response.status, 201);
    const uploadId = ((await response.json()) as { id: string }).id;
    const { predict } = await api.ok<{ predict: { id: string } }>(
      'mutation($r: ID!, $u: ID) { predict(runId: $r, uploadId: $u) { id } }',
      { r: runId, u: uploadId },
      { cookie: annotator.cookie },
    );
    const subscription = await subscribe<{ predictionProgress: { status: string } }>(
      api.url,
      'subscription($id: ID!) { predictionProgress(id: $id) { status } }',
      { id: predict.id },
      { cookie: viewer.cookie },
    );
    const statuses: string[] = [];
    while (!['SUCCEEDED', 'FAILED'].includes(statuses.at(-1) ?? ''))
      statuses.push((await subscription.next(60_000)).predictionProgress.status);
    await subscription.close();
    const done = await finished(predict.id);
    assert.equal(done.status, 'SUCCEEDED', done.error ?? '');
    assert.deepEqual(
      done.images.map((image) => [image.name, image.image]),
      [
        ['new/a.png', null],
        ['new/b.png', null],
      ],
    );
    assert.equal(statuses.at(-1), 'SUCCEEDED');
    const file = await download(`/files/predictions/${done.images[0]!.id}/image`, { cookie: viewer.cookie });
    assert.equal(file.status, 200);
    assert.deepEqual(Buffer.from(await file.arrayBuffer()), good);

    // The upload is used up: a second prediction from it is refused.
    const again = await api.gql(
      'mutation($r: ID!, $u: ID) { predict(runId: $r, uploadId: $u) { id } }',
      { r: runId, u: uploadId },
      { cookie: annotator.cookie },
    );
    assert.equal(again.errors?.[0]?.extensions?.code, 'FAILED_PRECONDITION');
  });

  it('fails a zip without images naming it', async () => {
    const response = await fetch(`${api.url}/uploads?name=empty.zip`, {
      method: 'POST',
      headers: { 'content-type': 'application/zip', ...headersFor({ cookie: admin.cookie }) },
      body: makeZip([{ name: 'readme.txt', data: Buffer.from('nothing') }]),
    });
    const uploadId = ((await response.json()) as { id: string }).id;
    const { predict } = await api.ok<{ predict: { id: string } }>(
      'mutation($r: ID!, $u: ID) { predict(runId: $r, uploadId: $u) { id } }',
      { r: runId, u: uploadId },
      { cookie: admin.cookie },
    );
    const done = await finished(predict.id);
    assert.equal(done.status, 'FAILED');
    assert.match(done.error ?? '', /empty\.zip: .*no images to score/);
  });

  it('refuses an unknown run, an unfinished run, no images, unknown images and viewers, each with its code', async () => {
    const ask = (runId: string, imageIds: string[] | null, credentials: Credentials = { cookie: annotator.cookie }) =>
      api.gql(
        'mutation($r: ID!, $i: [ID!]) { predict(runId: $r, imageIds: $i) { id } }',
        { r: runId, i: imageIds },
        credentials,
      );
    const image = await api.prisma.image.findFirstOrThrow({ where: { datasetId } });
    const unknown = await ask('00000000-0000-4000-8000-000000000000', [image.id]);
    assert.equal(unknown.errors?.[0]?.extensions?.code, 'NOT_FOUND');
    assert.match(unknown.errors![0]!.message, /Run 00000000-0000-4000-8000-000000000000 does not exist/);

    const queued = await api.prisma.run.create({ data: { datasetId, options: {}, layers: [], status: 'QUEUED' } });
    const unfinished = await ask(queued.id, [image.id]);
    assert.equal(unfinished.errors?.[0]?.extensions?.code, 'FAILED_PRECONDITION');
    assert.match(unfinished.errors![0]!.message, /is QUEUED: only a succeeded run has a trained model/);
    const noModel = await api.prisma.run.create({
      data: { datasetId, options: {}, layers: [], status: 'SUCCEEDED', finishedAt: new Date() },
    });
    const lost = await ask(noModel.id, [image.id]);
    assert.equal(lost.errors?.[0]?.extensions?.code, 'FAILED_PRECONDITION');
    assert.match(lost.errors![0]!.message, /has no checkpoint/);

    const nothing = await ask(runId, []);
    assert.equal(nothing.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
    const missingImage = await ask(runId, ['00000000-0000-4000-8000-000000000001']);
    assert.equal(missingImage.errors?.[0]?.extensions?.code, 'NOT_FOUND');
    const forbidden = await ask(runId, [image.id], { cookie: viewer.cookie });
    assert.equal(forbidden.errors?.[0]?.extensions?.code, 'FORBIDDEN');
  });
});

describe("a run's checkpoint", () => {
  it('is offered to admins only: checkpointUrl is null for others and the file route refuses them', async () => {
    const query = 'query($id: ID!) { run(id: $id) { checkpointUrl } }';
    const asAdmin = await api.ok<{ run: { checkpointUrl: string | null } }>(
      query,
      { id: runId },
      { cookie: admin.cookie },
    );
    assert.equal(asAdmin.run.checkpointUrl, `${api.url}/files/runs/${runId}/checkpoint.pt`);
    for (const user of [annotator, viewer]) {
      const seen = await api.ok<{ run: { checkpointUrl: string | null } }>(
        query,
        { id: runId },
        { cookie: user.cookie },
      );
      assert.equal(seen.run.checkpointUrl, null, user.role);
      const refused = await download(asAdmin.run.checkpointUrl, { cookie: user.cookie });
      assert.equal(refused.status, 403, user.role);
    }
    assert.equal((await download(asAdmin.run.checkpointUrl, null)).status, 401);
    const file = await download(asAdmin.run.checkpointUrl, { cookie: admin.cookie });
    assert.equal(file.status, 200);
    assert.equal(file.headers.get('content-type'), 'application/octet-stream');
    const bytes = Buffer.from(await file.arrayBuffer());
    assert.ok(bytes.length > 1000);
    assert.equal(Number(file.headers.get('content-length')), bytes.length);
    const missing = await download('/files/runs/00000000-0000-4000-8000-000000000000/checkpoint.pt', {
      cookie: admin.cookie,
    });
    assert.equal(missing.status, 404);
  });
});
