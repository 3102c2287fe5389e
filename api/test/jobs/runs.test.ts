// Runs end to end with the real pipeline (preset tiny, 32 px images): queue, an in-process worker, progress
// over graphql-ws, results and their map files, evaluations against newly approved masks, and cancels.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { OPTION_NAMES, optionSpec } from '@vad/models';
import sharp from 'sharp';

import { headersFor, startTestApi, type TestApi, type TestUser } from '../support/api';
import { makeFlatFolder, makeMvtecFolder, maskPng } from '../support/fixtures';
import { subscribe } from '../support/subscriptions';
import { waitFor } from '../support/wait';
import { startWorker, type StartedWorker } from '../../src/worker';

let api: TestApi;
let worker: StartedWorker | null = null;
let admin: TestUser;
let viewer: TestUser;
let annotator: TestUser;
let datasetId: string;
const scratch = mkdtempSync(path.join(os.tmpdir(), 'vad-runs-'));

const START = `mutation($input: StartRunInput!) { startRun(input: $input) { id status phase options { preset } } }`;
const RUN = `query($id: ID!) { run(id: $id) {
  id status progress phase epoch totalEpochs bestEpoch startEpoch attempt layers device error resultCount
  cancelRequested lossHistory { epoch loss validationLoss }
  options { preset epochs smoothing loss mapTargets }
  config {
    preset device
    model { channels imageSize depth loss segmentationHead }
    train { epochs validationImages learningRate attentionSign defectSources patience flipHorizontal }
    explain { layer sign weighting attentionTargets smoothing score batchSize }
  }
} }`;

interface RunView {
  id: string;
  status: string;
  progress: number;
  phase: string;
  epoch: number;
  totalEpochs: number;
  bestEpoch: number | null;
  startEpoch: number;
  attempt: number;
  layers: string[];
  device: string | null;
  error: string | null;
  resultCount: number;
  cancelRequested: boolean;
  lossHistory: { epoch: number; loss: number; validationLoss: number | null }[];
  options: { preset: string | null; epochs: number | null; smoothing: number | null; loss: string | null };
  config: {
    preset: string;
    device: string;
    model: Record<string, unknown>;
    train: Record<string, unknown>;
    explain: Record<string, unknown> & { smoothing: number };
  } | null;
}

async function runView(id: string): Promise<RunView> {
  return (await api.ok<{ run: RunView }>(RUN, { id }, { cookie: viewer.cookie })).run;
}

async function start(input: Record<string, unknown>): Promise<string> {
  const data = await api.ok<{ startRun: { id: string; status: string } }>(
    START,
    { input: { datasetId, preset: 'TINY', ...input } },
    { cookie: admin.cookie },
  );
  assert.equal(data.startRun.status, 'QUEUED');
  return data.startRun.id;
}

async function finished(id: string, timeoutMs = 90_000): Promise<RunView> {
  return waitFor(
    `run ${id} to finish`,
    async () => {
      const run = await runView(id);
      return ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(run.status) ? run : undefined;
    },
    timeoutMs,
    200,
  );
}

before(async () => {
  api = await startTestApi('runs', (config) => {
    config.worker.heartbeatMs = 300;
    config.worker.pollIntervalSeconds = 1;
  });
  admin = await api.user('ADMIN');
  viewer = await api.user('VIEWER');
  annotator = await api.user('ANNOTATOR');
  const folder = await makeMvtecFolder(path.join(scratch, 'data'), {
    train: 16,
    testGood: 3,
    defects: { crack: 2, hole: 2 },
  });
  datasetId = (
    await api.ok<{ importDataset: { id: string } }>(
      'mutation($p: String!) { importDataset(input: { path: $p, name: "runs" }) { id } }',
      { p: folder },
      { cookie: admin.cookie },
    )
  ).importDataset.id;
});
after(async () => {
  await worker?.stop();
  await api.close();
  rmSync(scratch, { recursive: true, force: true });
});

describe('startRun checks its input before queueing', () => {
  it('refuses bad options with a message naming them, a missing dataset, and a dataset it cannot train on', async () => {
    const bad = await api.gql(
      START,
      { input: { datasetId, epochs: 0, mapLayer: 'nowhere' } },
      { cookie: admin.cookie },
    );
    assert.equal(bad.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
    assert.match(bad.errors?.[0]?.message ?? '', /epochs must not be less than 1/);
    assert.match(
      bad.errors?.[0]?.message ?? '',
      /mapLayer must be an encoder layer \(enc1\.\.enc<depth>, bottleneck\)/,
    );
    const noTargets = await api.gql(START, { input: { datasetId, mapTargets: [] } }, { cookie: admin.cookie });
    assert.equal(noTargets.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
    for (const [smoothing, rule] of [
      [0.3, /smoothing must not be greater than 0\.25/],
      [-0.01, /smoothing must not be less than 0/],
    ] as const) {
      const refused = await api.gql(START, { input: { datasetId, smoothing } }, { cookie: admin.cookie });
      assert.equal(refused.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT', String(smoothing));
      assert.equal(refused.errors?.[0]?.extensions?.field, 'smoothing');
      assert.match(refused.errors?.[0]?.message ?? '', rule);
    }
    // The weights the sweeps measured (1e4-1e6) are accepted; beyond 1e7 is refused.
    const weighty = await api.gql(START, { input: { datasetId, attentionWeight: 2e7 } }, { cookie: admin.cookie });
    assert.equal(weighty.errors?.[0]?.extensions?.field, 'attentionWeight');
    assert.match(weighty.errors?.[0]?.message ?? '', /attentionWeight must not be greater than 10000000/);
    const missing = await api.gql(
      START,
      { input: { datasetId: '00000000-0000-4000-8000-000000000000' } },
      { cookie: admin.cookie },
    );
    assert.equal(missing.errors?.[0]?.extensions?.code, 'NOT_FOUND');
    const flat = await makeFlatFolder(path.join(scratch, 'flat'), 3);
    const unlabeled = (
      await api.ok<{ importDataset: { id: string } }>(
        'mutation($p: String!) { importDataset(input: { path: $p, name: "flat" }) { id } }',
        { p: flat },
        { cookie: admin.cookie },
      )
    ).importDataset.id;
    const cannot = await api.gql(START, { input: { datasetId: unlabeled } }, { cookie: admin.cookie });
    assert.equal(cannot.errors?.[0]?.extensions?.code, 'FAILED_PRECONDITION');
    assert.match(cannot.errors?.[0]?.message ?? '', /0 normal training and 0 labelled test images/);
    const asAnnotator = await api.gql(START, { input: { datasetId } }, { cookie: annotator.cookie });
    assert.equal(asAnnotator.errors?.[0]?.extensions?.code, 'FORBIDDEN');
    assert.equal(await api.prisma.run.count(), 0, 'nothing was queued');
  });

  it('a queued run with no worker yet is cancelled at once; a finished one cannot be', async () => {
    const id = await start({ epochs: 2 });
    const cancelled = await api.ok<{ cancelRun: { status: string } }>(
      'mutation($id: ID!) { cancelRun(id: $id) { status } }',
      { id },
      { cookie: admin.cookie },
    );
    assert.equal(cancelled.cancelRun.status, 'CANCELLED');
    const again = await api.gql(
      'mutation($id: ID!) { cancelRun(id: $id) { status } }',
      { id },
      { cookie: admin.cookie },
    );
    assert.equal(again.errors?.[0]?.extensions?.code, 'FAILED_PRECONDITION');
  });
});

describe('a run with a worker', () => {
  let runId: string;

  before(async () => {
    worker = await startWorker(api.config, api.databaseUrl, () => {});
  });

  it('trains, explains and evaluates, reporting progress over graphql-ws', async () => {
    // Smoothed (2 px at 32 px), so that the maps the tests below page and evaluate went through the smoothing.
    runId = await start({ epochs: 3, name: 'tiny run', smoothing: 0.0625 });
    const progress = await subscribe<{ runProgress: { status: string; progress: number; epoch: number } }>(
      api.url,
      'subscription($id: ID!) { runProgress(runId: $id) { status progress epoch } }',
      { id: runId },
      { cookie: viewer.cookie },
    );
    const seen: { status: string; progress: number; epoch: number }[] = [];
    try {
      for (;;) {
        const event = (await progress.next(60_000)).runProgress;
        seen.push(event);
        if (event.status === 'SUCCEEDED' || event.status === 'FAILED') break;
      }
    } finally {
      await progress.close();
    }
    assert.equal(seen.at(-1)?.status, 'SUCCEEDED', JSON.stringify(seen.slice(-3)));
    assert.ok(
      seen.some((event) => event.status === 'RUNNING' && event.epoch >= 1),
      'progress arrived while training',
    );
    const values = seen.map((event) => event.progress);
    assert.deepEqual(
      values,
      [...values].sort((a, b) => a - b),
      'progress only grows',
    );

    const run = await runView(runId);
    assert.equal(run.progress, 1);
    assert.equal(run.attempt, 1);
    assert.equal(run.startEpoch, 1);
    assert.deepEqual(run.layers, ['enc1', 'enc2', 'enc3', 'bottleneck']);
    assert.equal(run.device, 'cpu');
    assert.deepEqual(
      run.lossHistory.map((entry) => entry.epoch),
      [1, 2, 3],
    );
    assert.ok(run.lossHistory.every((entry) => Number.isFinite(entry.loss) && entry.loss > 0));
    // The model kept the weights of its lowest validation loss (within the plateau rule's 0.1 %).
    assert.ok(run.bestEpoch !== null && run.bestEpoch >= 1 && run.bestEpoch <= 3, `best epoch ${run.bestEpoch}`);
    const best = run.lossHistory[run.bestEpoch - 1]!.validationLoss!;
    assert.ok(
      run.lossHistory.every((entry) => entry.validationLoss! >= best * (1 - 1e-3)),
      JSON.stringify(run),
    );
    assert.equal(run.resultCount, 7, 'every test image was scored');
    // Typed options: what startRun was given, null where it was left out; the config: what the run used.
    assert.deepEqual(
      { ...run.options },
      { preset: 'TINY', epochs: 3, smoothing: 0.0625, loss: null, mapTargets: null },
    );
    assert.equal(run.config?.explain.smoothing, 0.0625, 'the worker explained with the smoothing asked for');
    assert.deepEqual(run.config, {
      preset: 'TINY',
      device: 'AUTO',
      model: { channels: 3, imageSize: 32, depth: 3, loss: 'MSE', segmentationHead: false },
      train: {
        epochs: 3,
        validationImages: 2,
        learningRate: 1e-3,
        attentionSign: 'ABS',
        defectSources: ['PATCH', 'PERLIN', 'FLAT'],
        patience: 0,
        flipHorizontal: false,
      },
      explain: {
        layer: 'enc1',
        sign: 'ABS',
        weighting: 'CHANNEL',
        attentionTargets: ['LOSS'],
        smoothing: 0.0625,
        score: 'TOP1',
        batchSize: 16,
      },
    });
    // The first evaluation is dated from when the pipeline began it: its createdAt came after its finishedAt.
    const [evaluation] = await api.prisma.evaluation.findMany({ where: { runId } });
    const times = [evaluation!.createdAt, evaluation!.startedAt!, evaluation!.finishedAt!].map((date) =>
      date.getTime(),
    );
    assert.deepEqual(
      times,
      [...times].sort((a, b) => a - b),
      'createdAt <= startedAt <= finishedAt',
    );
    assert.ok(times[0]! < times[2]!, 'the evaluation took time');
  });

  it('pages results by score with images and map files', async () => {
    type Page = {
      run: {
        results: {
          totalCount: number;
          pageInfo: { hasNextPage: boolean; endCursor: string };
          edges: {
            node: {
              id: string;
              score: number;
              scores: { mapType: string; score: number }[];
              image: { name: string; width: number };
              attentionMapUrl: string;
              overlay: string;
              residualMapUrl: string;
              reconstructionUrl: string;
            };
          }[];
        };
      };
    };
    const query = `query($id: ID!, $after: String) { run(id: $id) { results(first: 4, after: $after) {
      totalCount pageInfo { hasNextPage endCursor }
      edges { node { id score scores { mapType score } image { name width } attentionMapUrl overlay: attentionOverlayUrl residualMapUrl reconstructionUrl } }
    } } }`;
    const first = await api.ok<Page>(query, { id: runId }, { cookie: viewer.cookie });
    assert.equal(first.run.results.totalCount, 7);
    assert.equal(first.run.results.pageInfo.hasNextPage, true);
    const second = await api.ok<Page>(
      query,
      { id: runId, after: first.run.results.pageInfo.endCursor },
      { cookie: viewer.cookie },
    );
    const all = [...first.run.results.edges, ...second.run.results.edges].map((edge) => edge.node);
    assert.equal(all.length, 7);
    assert.equal(new Set(all.map((node) => node.image.name)).size, 7);
    const scores = all.map((node) => node.score);
    assert.deepEqual(
      scores,
      [...scores].sort((a, b) => b - a),
      'most anomalous first',
    );
    const top = all[0]!;
    assert.deepEqual(top.scores.map((entry) => entry.mapType).sort(), ['attention', 'msgms', 'residual', 'ssim']);
    assert.equal(top.scores.find((entry) => entry.mapType === 'attention')?.score, top.score);

    const get = async (url: string) => {
      const response = await fetch(url, { headers: headersFor({ cookie: viewer.cookie }) });
      assert.equal(response.status, 200, url);
      assert.equal(response.headers.get('content-type'), 'image/png');
      return sharp(Buffer.from(await response.arrayBuffer())).metadata();
    };
    assert.deepEqual([(await get(top.attentionMapUrl)).width, (await get(top.attentionMapUrl)).channels], [32, 3]);
    assert.equal((await get(top.overlay)).width, top.image.width);
    assert.equal((await get(top.residualMapUrl)).height, 32);
    assert.equal((await get(top.reconstructionUrl)).width, 32);
    const anonymous = await fetch(top.attentionMapUrl);
    assert.equal(anonymous.status, 401);
  });

  it('comes with an evaluation; evaluateRun re-scores with the masks approved since', async () => {
    type Evaluations = {
      run: {
        evaluations: {
          id: string;
          status: string;
          maskCount: number;
          masks: { id: string }[];
          images: { anomalous: number; withoutMask: number };
          metrics: {
            mapType: string;
            overall: { imageAuroc: number | null; pixelAuroc: number | null };
            perDefect: { defectType: string }[];
          }[];
          curves: { imageRoc: { x: number[]; y: number[]; thresholds: (number | null)[] } } | null;
        }[];
      };
    };
    const query = `query($id: ID!) { run(id: $id) { evaluations {
      id status maskCount masks { id } images { anomalous withoutMask }
      metrics { mapType overall { imageAuroc pixelAuroc } perDefect { defectType } }
      curves(mapType: attention) { imageRoc { x y thresholds } }
    } } }`;
    const before = await api.ok<Evaluations>(query, { id: runId }, { cookie: viewer.cookie });
    assert.equal(before.run.evaluations.length, 1);
    const first = before.run.evaluations[0]!;
    assert.equal(first.status, 'SUCCEEDED');
    assert.equal(first.maskCount, 4);
    assert.deepEqual(first.images, { anomalous: 4, withoutMask: 0 });
    assert.deepEqual(
      first.metrics.map((map) => map.mapType),
      ['attention', 'residual', 'ssim', 'msgms'],
    );
    assert.deepEqual(first.metrics[0]!.perDefect.map((entry) => entry.defectType).sort(), ['crack', 'hole']);
    const roc = first.curves!.imageRoc;
    assert.equal(roc.thresholds[0], null, 'the first ROC point is at threshold +infinity');
    assert.equal(roc.x.at(-1), 1);

    // MapType is an enum whose values are the pipeline's map names: a variable takes them as strings; a map type
    // the evaluation lacks is refused naming the ones it has, a name outside the enum by validation.
    const CURVES = 'query($id: ID!, $m: MapType!) { evaluation(id: $id) { curves(mapType: $m) { pro { x } } } }';
    const ssim = await api.ok<{ evaluation: { curves: { pro: { x: number[] } | null } | null } }>(
      CURVES,
      { id: first.id, m: 'ssim' },
      { cookie: viewer.cookie },
    );
    assert.ok(ssim.evaluation.curves?.pro?.x.length);
    const absent = await api.gql(CURVES, { id: first.id, m: 'segmentation' }, { cookie: viewer.cookie });
    assert.equal(absent.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
    assert.equal(
      absent.errors?.[0]?.message,
      'the evaluation has no segmentation map: mapType must be one of attention, residual, ssim, msgms',
    );
    const hyphenated = await api.gql(CURVES, { id: first.id, m: 'attention-loss' }, { cookie: viewer.cookie });
    assert.match(hyphenated.errors?.[0]?.message ?? '', /Value "attention-loss" does not exist in "MapType" enum/);

    // An annotator redraws one defect, an admin approves it: the next evaluation must use that version.
    const image = await api.prisma.image.findFirstOrThrow({ where: { datasetId, name: 'test/crack/000' } });
    const saved = await api.ok<{ saveMask: { id: string } }>(
      'mutation($i: ID!, $p: String!, $b: Int!) { saveMask(imageId: $i, pngBase64: $p, baseVersion: $b, submit: true) { id } }',
      { i: image.id, p: (await maskPng(32, { x: 20, y: 20, r: 6 })).toString('base64'), b: image.maskVersion },
      { cookie: annotator.cookie },
    );
    await api.ok(
      'mutation($id: ID!) { reviewMask(maskId: $id, decision: APPROVE) { id } }',
      { id: saved.saveMask.id },
      { cookie: admin.cookie },
    );
    const queued = await api.ok<{ evaluateRun: { id: string; status: string } }>(
      'mutation($id: ID!) { evaluateRun(runId: $id) { id status } }',
      { id: runId },
      { cookie: admin.cookie },
    );
    assert.equal(queued.evaluateRun.status, 'QUEUED');
    const done = await waitFor('the evaluation', async () => {
      const view = await api.ok<Evaluations>(query, { id: runId }, { cookie: viewer.cookie });
      const evaluation = view.run.evaluations.find((entry) => entry.id === queued.evaluateRun.id);
      return evaluation && evaluation.status !== 'QUEUED' && evaluation.status !== 'RUNNING' ? evaluation : undefined;
    });
    assert.equal(done.status, 'SUCCEEDED');
    const used = done.masks.map((mask) => mask.id);
    assert.ok(used.includes(saved.saveMask.id), 'the newly approved version is used');
    assert.ok(!used.includes(image.currentMaskId!), 'the imported version it replaced is not');
    assert.equal(done.maskCount, 4);

    const unfinished = await start({ epochs: 1 });
    await api.ok('mutation($id: ID!) { cancelRun(id: $id) { id } }', { id: unfinished }, { cookie: admin.cookie });
    const refused = await api.gql(
      'mutation($id: ID!) { evaluateRun(runId: $id) { id } }',
      { id: unfinished },
      { cookie: admin.cookie },
    );
    assert.equal(refused.errors?.[0]?.extensions?.code, 'FAILED_PRECONDITION');
  });

  it('cancelRun reaches a running run within a training step', async () => {
    const id = await start({ epochs: 400 });
    await waitFor('training to start', async () => ((await runView(id)).epoch >= 1 ? true : undefined));
    const asked = Date.now();
    const answer = await api.ok<{ cancelRun: { cancelRequested: boolean; status: string } }>(
      'mutation($id: ID!) { cancelRun(id: $id) { cancelRequested status } }',
      { id },
      { cookie: admin.cookie },
    );
    assert.equal(answer.cancelRun.cancelRequested, true);
    const run = await finished(id, 20_000);
    const seconds = (Date.now() - asked) / 1000;
    assert.equal(run.status, 'CANCELLED');
    assert.ok(run.epoch < 400);
    assert.ok(seconds < 5, `cancelled after ${seconds} s`);
    assert.equal(await api.prisma.result.count({ where: { runId: id } }), 0);
  });

  it('a run whose options the worker rejects fails with the reason, without retries', async () => {
    const id = await start({ imageSize: 36 });
    const run = await finished(id);
    assert.equal(run.status, 'FAILED');
    assert.equal(run.attempt, 1);
    assert.match(run.error ?? '', /imageSize: must be a multiple of 8/);
  });
});

describe("a run's options and config", () => {
  it('read the names and fields of runs stored before them as the pipeline reads them', async () => {
    // Stored as the API kept them before options were renamed and before the later settings existed.
    const old = await api.prisma.run.create({
      data: {
        datasetId,
        layers: [],
        status: 'SUCCEEDED',
        options: { preset: 'tiny', layer: 'enc2', size: 32, attentionTargets: ['residual', 'loss'] },
        config: {
          data: '/somewhere/on/the/server',
          preset: 'tiny',
          device: 'cpu',
          model: {
            channels: 1,
            imageSize: 32,
            depth: 3,
            baseChannels: 8,
            batchNorm: true,
            skips: true,
            dropTopSkips: 0,
            skipNoiseStd: 0,
            loss: 'mse',
            ssimWeight: 0.5,
            seed: 0,
          },
          train: {
            epochs: 2,
            batchSize: 8,
            learningRate: 0.001,
            seed: 0,
            attentionWeight: 0,
            attentionLayer: 'enc2',
            attentionSign: 'abs',
            flipHorizontal: false,
            flipVertical: false,
          },
          explain: { layer: 'enc2', sign: 'abs', attentionTargets: ['residual', 'loss'], score: 'max', batchSize: 16 },
        },
      },
    });
    const data = await api.ok<{
      run: { options: Record<string, unknown>; config: Record<string, Record<string, unknown>> };
    }>(
      `query($id: ID!) { run(id: $id) {
        options { preset imageSize attentionLayer mapLayer mapTargets }
        config {
          model { channels segmentationHead }
          train { attentionLayer patchSize validationImages syntheticDefects defectSources supervisionWeight minutes }
          explain { layer weighting smoothing attentionTargets }
        }
      } }`,
      { id: old.id },
      { cookie: viewer.cookie },
    );
    assert.deepEqual(
      { ...data.run.options },
      { preset: 'TINY', imageSize: 32, attentionLayer: 'enc2', mapLayer: 'enc2', mapTargets: ['REENCODED', 'LOSS'] },
    );
    assert.deepEqual(JSON.parse(JSON.stringify(data.run.config)), {
      model: { channels: 1, segmentationHead: false },
      train: {
        attentionLayer: 'enc2',
        patchSize: 0,
        validationImages: 0,
        syntheticDefects: 0,
        defectSources: [],
        supervisionWeight: 0,
        minutes: 0,
      },
      explain: { layer: 'enc2', weighting: 'CHANNEL', smoothing: 0, attentionTargets: ['REENCODED', 'LOSS'] },
    });
    await api.prisma.run.delete({ where: { id: old.id } });
  });

  it("are typed: every option and every config setting is a field with the option schema's description", async () => {
    const data = await api.ok<{ __type: { fields: { name: string; description: string }[] } }>(
      '{ __type(name: "RunOptions") { fields { name description } } }',
      {},
      { cookie: viewer.cookie },
    );
    assert.deepEqual(data.__type.fields.map((field) => field.name).sort(), [...OPTION_NAMES].sort());
    for (const field of data.__type.fields) {
      assert.ok(field.description.startsWith(optionSpec(field.name as never).description), field.name);
    }
    const config = await api.ok<{ __type: { fields: { name: string }[] } }>(
      '{ __type(name: "RunConfig") { fields { name } } }',
      {},
      { cookie: viewer.cookie },
    );
    assert.deepEqual(config.__type.fields.map((field) => field.name).sort(), [
      'device',
      'explain',
      'model',
      'preset',
      'train',
    ]);
  });
});
