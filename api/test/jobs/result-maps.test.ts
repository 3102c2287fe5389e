// Every map type a run makes is stored with each of its results and served (preset tiny with synthetic defects
// and the segmentation head, so that the `segmentation` map is among them; 32 px maps of 40 px images): a result's
// maps are the map types of the run's report in its order, each a PNG coloured on the run's range of that type, in
// grey levels, and as raw values (TIFF, .npy); deleting the dataset removes the files of every type.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { decodeFloatTiff, decodeNpy, resizeMapBilinear } from '@vad/models';
import sharp from 'sharp';

import { resultFileKeys, storedMapKey } from '../../src/files/result-maps';
import { decodeScoreMap } from '../../src/files/score-map';
import { startWorker, type StartedWorker } from '../../src/worker';
import { headersFor, startTestApi, type TestApi, type TestUser } from '../support/api';
import { makeMvtecFolder } from '../support/fixtures';
import { waitFor } from '../support/wait';

type MapScore = { mapType: string; score: number };
type ResultMap = MapScore & {
  url: string;
  overlayUrl: string;
  levelsUrl: string;
  tiffUrl: string;
  npyUrl: string;
  predictedMaskUrl: string;
  range: { min: number; max: number } | null;
};

interface ResultMaps {
  id: string;
  scores: MapScore[];
  /** A map's score is null when the run did not score it: these runs score every map. */
  maps: ResultMap[];
}

interface RunMaps {
  run: {
    status: string;
    evaluations: { metrics: { mapType: string }[] }[];
    results: { edges: { node: ResultMaps }[] };
  };
}

const RUN_MAPS = `query($id: ID!) { run(id: $id) {
  status
  evaluations { metrics { mapType } }
  results(first: 10) { edges { node {
    id scores { mapType score } maps { mapType url overlayUrl levelsUrl tiffUrl npyUrl predictedMaskUrl score range { min max } }
  } } }
} }`;

let api: TestApi;
let worker: StartedWorker;
let admin: TestUser;
let viewer: TestUser;
let datasetId: string;
let runId: string;
const scratch = mkdtempSync(path.join(os.tmpdir(), 'vad-result-maps-'));

before(async () => {
  api = await startTestApi('result_maps', (config) => {
    config.worker.heartbeatMs = 300;
    config.worker.pollIntervalSeconds = 1;
  });
  admin = await api.user('ADMIN');
  viewer = await api.user('VIEWER');
  const folder = await makeMvtecFolder(path.join(scratch, 'data'), {
    size: 40,
    train: 8,
    testGood: 1,
    defects: { crack: 2 },
  });
  datasetId = (
    await api.ok<{ importDataset: { id: string } }>(
      'mutation($p: String!) { importDataset(input: { path: $p, name: "maps" }) { id } }',
      { p: folder },
      { cookie: admin.cookie },
    )
  ).importDataset.id;
  worker = await startWorker(api.config, api.databaseUrl, () => {});
  runId = (
    await api.ok<{ startRun: { id: string } }>(
      'mutation($input: StartRunInput!) { startRun(input: $input) { id } }',
      { input: { datasetId, preset: 'TINY', epochs: 1, syntheticDefects: 0.5, segmentationHead: true } },
      { cookie: admin.cookie },
    )
  ).startRun.id;
});
after(async () => {
  await worker.stop();
  await api.close();
  rmSync(scratch, { recursive: true, force: true });
});

async function fileBytes(url: string, type = 'image/png'): Promise<Buffer> {
  const response = await fetch(new URL(url, api.url), { headers: headersFor({ cookie: viewer.cookie }) });
  assert.equal(response.status, 200, url);
  assert.equal(response.headers.get('content-type'), type, url);
  return Buffer.from(await response.arrayBuffer());
}

async function png(url: string): Promise<sharp.Metadata> {
  return sharp(await fileBytes(url)).metadata();
}

/** A PNG's pixels as raw bytes: one grey channel, or RGB (sharp decodes to RGB unless told otherwise). */
async function pixels(url: string, form: 'grey' | 'rgb'): Promise<Buffer> {
  return sharp(await fileBytes(url))
    .toColourspace(form === 'grey' ? 'b-w' : 'srgb')
    .raw()
    .toBuffer();
}

describe("a run's maps", () => {
  it('stores every map type of the report for each result, in its order, and serves each', async () => {
    const { run } = await waitFor(
      `run ${runId} to finish`,
      async () => {
        const data = await api.ok<RunMaps>(RUN_MAPS, { id: runId }, { cookie: viewer.cookie });
        return ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(data.run.status) ? data : undefined;
      },
      90_000,
      200,
    );
    assert.equal(run.status, 'SUCCEEDED');
    const reported = run.evaluations[0]!.metrics.map((metrics) => metrics.mapType);
    for (const mapType of ['attention', 'residual', 'ssim', 'msgms', 'segmentation'])
      assert.ok(reported.includes(mapType), mapType);
    const results = run.results.edges.map((edge) => edge.node);
    assert.equal(results.length, 3);
    for (const result of results) {
      assert.deepEqual(
        result.maps.map((map) => map.mapType),
        reported,
      );
      assert.deepEqual(
        result.scores.map((entry) => entry.mapType),
        reported,
        'scores come in the same order',
      );
    }

    const [top] = results;
    for (const map of top!.maps) {
      assert.equal(map.score, top!.scores.find((entry) => entry.mapType === map.mapType)?.score);
      assert.ok(map.range && map.range.min <= map.range.max, `${map.mapType} has the run's range`);
      const coloured = await png(map.url);
      assert.deepEqual([coloured.width, coloured.height, coloured.channels], [32, 32, 3], map.mapType);
      assert.equal((await png(map.overlayUrl)).width, 40, `${map.mapType} overlay at the image's resolution`);
    }
    const unknown = await fetch(`${api.url}/files/results/${top!.id}/nothing.png`, {
      headers: headersFor({ cookie: viewer.cookie }),
    });
    assert.equal(unknown.status, 404);
  });

  it("serves each map's levels and the colour maps, so that a client colours a map exactly as the API does", async () => {
    const { colourMaps } = await api.ok<{ colourMaps: { name: string; legendUrl: string }[] }>(
      '{ colourMaps { name label legendUrl } }',
      {},
      { cookie: viewer.cookie },
    );
    assert.deepEqual(
      colourMaps.map((colourMap) => colourMap.name),
      ['inferno', 'viridis', 'jet', 'gray', 'ice'],
    );
    const data = await api.ok<RunMaps>(RUN_MAPS, { id: runId }, { cookie: viewer.cookie });
    const map = data.run.results.edges[0]!.node.maps[0]!;
    const levelsMeta = await png(map.levelsUrl);
    assert.deepEqual([levelsMeta.width, levelsMeta.height, levelsMeta.channels], [32, 32, 1]);
    const levels = await pixels(map.levelsUrl, 'grey');
    assert.ok(Math.max(...levels) > Math.min(...levels), 'the levels are not flat');
    for (const { name, legendUrl } of colourMaps) {
      const legend = await pixels(legendUrl, 'rgb');
      assert.equal(legend.length, 256 * 3, `${name}: 256 colours`);
      const coloured = await pixels(`${map.url.split('?')[0]}?colour=${name}`, name === 'gray' ? 'grey' : 'rgb');
      const expected =
        name === 'gray'
          ? levels
          : Buffer.from([...levels].flatMap((level) => [...legend.subarray(level * 3, level * 3 + 3)]));
      assert.ok(coloured.equals(expected), `${name}: the map's colours are the legend's at its levels`);
    }
    const wrong = await fetch(`${map.url.split('?')[0]}?colour=rainbow`, {
      headers: headersFor({ cookie: viewer.cookie }),
    });
    assert.equal(wrong.status, 400);
    assert.match(await wrong.text(), /colour must be one of inferno, viridis, jet, gray, ice/);
  });

  it("serves each map's values at the image's resolution as float32 TIFF and .npy, the same numbers", async () => {
    const data = await api.ok<RunMaps>(RUN_MAPS, { id: runId }, { cookie: viewer.cookie });
    const top = data.run.results.edges[0]!.node;
    const stored = await api.prisma.result.findUniqueOrThrow({ where: { id: top.id }, select: { mapKeys: true } });
    for (const map of top.maps) {
      const tiff = decodeFloatTiff(await fileBytes(map.tiffUrl, 'image/tiff'));
      const npy = decodeNpy(await fileBytes(map.npyUrl, 'application/octet-stream'));
      assert.deepEqual([tiff.width, tiff.height, npy.width, npy.height], [40, 40, 40, 40], map.mapType);
      assert.deepEqual([...npy.data], [...tiff.data], `${map.mapType}: one set of numbers`);
      // Raw values: the stored map upsampled, not the 0-255 levels of the PNGs.
      const key = storedMapKey(stored.mapKeys, map.mapType)!;
      const own = decodeScoreMap(await api.app.services.files.read(key));
      const expected = resizeMapBilinear(own.data, own.width, own.height, 40, 40);
      assert.deepEqual([...tiff.data], [...expected], `${map.mapType}: the stored values`);
    }
  });

  it("serves a predicted mask per map: at the evaluation's F1-max threshold, or at the caller's", async () => {
    const { run } = await api.ok<{
      run: { evaluations: { metrics: { mapType: string; overall: { f1Threshold: number | null } }[] }[] };
    }>(
      'query($id: ID!) { run(id: $id) { evaluations { metrics { mapType overall { f1Threshold } } } } }',
      { id: runId },
      { cookie: viewer.cookie },
    );
    const data = await api.ok<RunMaps>(RUN_MAPS, { id: runId }, { cookie: viewer.cookie });
    const top = data.run.results.edges[0]!.node;
    const attention = top.maps.find((map) => map.mapType === 'attention')!;
    const threshold = run.evaluations[0]!.metrics.find((entry) => entry.mapType === 'attention')!.overall.f1Threshold;
    assert.equal(typeof threshold, 'number', 'the evaluation keeps the F1-max threshold');
    const values = decodeFloatTiff(await fileBytes(attention.tiffUrl, 'image/tiff')).data;
    const expected = (cut: number) => Buffer.from(Uint8Array.from(values, (value) => (value >= cut ? 255 : 0)));
    const predicted = await pixels(attention.predictedMaskUrl, 'grey');
    assert.equal(predicted.length, 40 * 40, "at the image's resolution");
    assert.ok(predicted.equals(expected(threshold!)), 'the map at or above the evaluation threshold');
    const median = [...values].sort((a, b) => a - b)[values.length >> 1]!;
    const atMedian = await pixels(`${attention.predictedMaskUrl}?threshold=${median}`, 'grey');
    assert.ok(atMedian.equals(expected(median)), "at the caller's threshold");
    const wrong = await fetch(`${attention.predictedMaskUrl}?threshold=high`, {
      headers: headersFor({ cookie: viewer.cookie }),
    });
    assert.equal(wrong.status, 400);
  });

  it('goes with its dataset: the files of every map type are removed', async () => {
    const results = await api.prisma.result.findMany({
      where: { runId },
      select: { mapKeys: true, reconstructionKey: true },
    });
    const keys = results.flatMap(resultFileKeys);
    assert.ok(keys.length >= results.length * 5, 'four maps or more and a reconstruction per result');
    assert.ok(keys.every((key) => api.app.services.files.has(key)));
    await api.ok('mutation($id: ID!) { deleteDataset(id: $id) }', { id: datasetId }, { cookie: admin.cookie });
    assert.deepEqual(
      keys.filter((key) => api.app.services.files.has(key)),
      [],
    );
  });
});
