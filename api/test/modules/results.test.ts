// Query.result: one result by id, answering every field as a page of the run's results does (its image comes
// through the image loader instead of the page's join), null for ids that name nothing; its maps in order.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { seedResults, type Seeded } from '../../bench/seed';
import { startTestApi, type TestApi, type TestUser } from '../support/api';

const MISSING = '00000000-0000-4000-8000-000000000000';

const FIELDS = `
  id score scores { mapType score } run { id status }
  image { id name label defectType split url thumbnailUrl dataset { id } currentMask { id version status } }
  maps { mapType url overlayUrl score range { min max } }
  attentionMapUrl attentionOverlayUrl residualMapUrl residualOverlayUrl reconstructionUrl`;

interface ResultView {
  id: string;
  score: number;
  scores: { mapType: string; score: number }[];
  run: { id: string; status: string };
  image: {
    id: string;
    name: string;
    label: string;
    defectType: string;
    split: string;
    url: string;
    thumbnailUrl: string;
    dataset: { id: string };
    currentMask: { id: string; version: number; status: string } | null;
  };
  maps: {
    mapType: string;
    url: string;
    overlayUrl: string;
    score: number | null;
    range: { min: number; max: number } | null;
  }[];
  attentionMapUrl: string | null;
  attentionOverlayUrl: string | null;
  residualMapUrl: string | null;
  residualOverlayUrl: string | null;
  reconstructionUrl: string | null;
}

let api: TestApi;
let seeded: Seeded;
let viewer: TestUser;
let page: ResultView[];
const statements: string[] = [];

before(async () => {
  api = await startTestApi('results', () => {}, { onQuery: (sql) => statements.push(sql) });
  seeded = await seedResults(api.databaseUrl, { images: 6, runs: 1, anomalousEvery: 2 }, 'results');
  viewer = await api.user('VIEWER');
  const data = await api.ok<{ run: { results: { edges: { node: ResultView }[] } } }>(
    `query($id: ID!) { run(id: $id) { results(first: 10) { edges { node { ${FIELDS} } } } } }`,
    { id: seeded.runIds[0] },
    { cookie: viewer.cookie },
  );
  page = data.run.results.edges.map((edge) => edge.node);
  assert.equal(page.length, 6);
});
after(() => api.close());

async function resultById(id: string): Promise<ResultView | null> {
  const data = await api.ok<{ result: ResultView | null }>(
    `query($id: ID!) { result(id: $id) { ${FIELDS} } }`,
    { id },
    { cookie: viewer.cookie },
  );
  return data.result;
}

describe('Query.result', () => {
  it('answers each result of a page exactly as the page does, masks and maps included', async () => {
    for (const row of page) assert.deepEqual(await resultById(row.id), row);
    const masked = page.filter((row) => row.image.currentMask !== null);
    assert.ok(masked.length > 0, 'the seed gives some images an approved mask');
    assert.equal(masked[0]!.image.currentMask!.status, 'APPROVED');
    assert.equal(page[0]!.attentionMapUrl, `${api.url}/files/results/${page[0]!.id}/attention.png`, 'absolute');
    assert.deepEqual(
      page[0]!.scores.map((entry) => entry.mapType),
      ['attention'],
    );
    // The seeded run has no ranges: each map is then coloured on its own.
    const id = page[0]!.id;
    assert.deepEqual(page[0]!.maps, [
      {
        mapType: 'attention',
        url: `${api.url}/files/results/${id}/attention.png`,
        overlayUrl: `${api.url}/files/results/${id}/attention.png?overlay=1`,
        score: page[0]!.score,
        range: null,
      },
      {
        mapType: 'residual',
        url: `${api.url}/files/results/${id}/residual.png`,
        overlayUrl: `${api.url}/files/results/${id}/residual.png?overlay=1`,
        score: null,
        range: null,
      },
    ]);
  });

  it("lists a result's maps in the order they were stored, with the run's range and scores in that order", async () => {
    const target = page[2]!;
    const mapKeys = ['attention', 'residual', 'ssim', 'msgms'].map((mapType) => ({ mapType, key: mapType }));
    await api.prisma.result.update({
      where: { id: target.id },
      data: { mapKeys, scores: { msgms: 0.4, ssim: 0.3, residual: 0.2, attention: 0.1 } },
    });
    await api.prisma.run.update({ where: { id: seeded.runIds[0] }, data: { mapRanges: { ssim: [0, 0.5] } } });
    const result = (await resultById(target.id))!;
    assert.deepEqual(
      result.maps.map((map) => [map.mapType, map.score]),
      [
        ['attention', 0.1],
        ['residual', 0.2],
        ['ssim', 0.3],
        ['msgms', 0.4],
      ],
    );
    assert.deepEqual(
      result.scores.map((entry) => entry.mapType),
      ['attention', 'residual', 'ssim', 'msgms'],
    );
    assert.deepEqual(result.maps[2]!.range, { min: 0, max: 0.5 });
    assert.equal(result.maps[3]!.url, `${api.url}/files/results/${target.id}/msgms.png`);
    assert.equal(result.residualMapUrl, `${api.url}/files/results/${target.id}/residual.png`, 'the old fields answer');
    await api.prisma.run.update({ where: { id: seeded.runIds[0] }, data: { mapRanges: {} } });
  });

  it('gives no URL for a map the result does not have', async () => {
    const target = page[1]!;
    await api.prisma.result.update({
      where: { id: target.id },
      data: { mapKeys: [{ mapType: 'attention', key: 'a' }], reconstructionKey: null },
    });
    const result = await resultById(target.id);
    assert.equal(result?.residualMapUrl, null);
    assert.equal(result?.residualOverlayUrl, null);
    assert.equal(result?.reconstructionUrl, null);
    assert.equal(result?.attentionOverlayUrl, `${api.url}/files/results/${target.id}/attention.png?overlay=1`);
    assert.deepEqual(
      result?.maps.map((map) => map.mapType),
      ['attention'],
    );
  });

  it('answers null for an id that names nothing, or is not an id at all', async () => {
    assert.equal(await resultById(MISSING), null);
    assert.equal(await resultById('not-a-uuid'), null);
    // A run's id is not a result's.
    assert.equal(await resultById(seeded.runIds[0]!), null);
  });

  it('reads several results asked for in one query with one statement', async () => {
    const [a, b, c] = page;
    statements.length = 0;
    const data = await api.ok<Record<string, { id: string; score: number } | null>>(
      `query($a: ID!, $b: ID!, $c: ID!, $m: ID!) {
        a: result(id: $a) { id score } b: result(id: $b) { id score } c: result(id: $c) { id score }
        m: result(id: $m) { id }
      }`,
      { a: a!.id, b: b!.id, c: c!.id, m: MISSING },
      { cookie: viewer.cookie },
    );
    assert.deepEqual(
      [data.a, data.b, data.c, data.m],
      [{ id: a!.id, score: a!.score }, { id: b!.id, score: b!.score }, { id: c!.id, score: c!.score }, null],
    );
    assert.equal(statements.filter((sql) => sql.includes('FROM "Result"')).length, 1);
  });

  it('needs credentials like every read; a READ key is enough', async () => {
    const anonymous = await api.gql(`{ result(id: "${page[0]!.id}") { id } }`);
    assert.equal(anonymous.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
    assert.equal(anonymous.data ?? null, null);
    const key = await api.ok<{ createApiKey: { secret: string } }>(
      'mutation { createApiKey(name: "reader", scopes: [READ]) { secret } }',
      {},
      { cookie: viewer.cookie },
    );
    const read = await api.ok<{ result: { id: string } }>(
      `{ result(id: "${page[0]!.id}") { id } }`,
      {},
      { apiKey: key.createApiKey.secret },
    );
    assert.equal(read.result.id, page[0]!.id);
  });
});

describe('Image.latestResult', () => {
  const LATEST = 'query($id: ID!) { image(id: $id) { latestResult { id run { id } maps { mapType levelsUrl } } } }';

  async function latestOf(imageId: string) {
    const data = await api.ok<{ image: { latestResult: { id: string; run: { id: string } } | null } }>(
      LATEST,
      { id: imageId },
      { cookie: viewer.cookie },
    );
    return data.image.latestResult;
  }

  /** A run of the seeded dataset, finished `minutes` from now, with results for `imageIds`; its id. */
  async function addRun(status: 'SUCCEEDED' | 'FAILED', minutes: number, imageIds: string[]): Promise<string> {
    const [run] = await api.prisma.$queryRawUnsafe<{ id: string }[]>(
      `INSERT INTO "Run" (id, "datasetId", name, options, status, progress, phase, layers, attempt, "resultCount", "finishedAt")
       VALUES (gen_random_uuid(), $1::uuid, $2, '{"preset":"small"}', $3::"RunStatus", 1, 'done', ARRAY['enc1'], 1, $4,
               now() + $5 * interval '1 minute')
       RETURNING id::text`,
      seeded.datasetId,
      `latest ${status} ${minutes}`,
      status,
      imageIds.length,
      minutes,
    );
    for (const imageId of imageIds) {
      await api.prisma.$executeRawUnsafe(
        `INSERT INTO "Result" (id, "runId", "imageId", score, scores, "mapKeys")
         VALUES (gen_random_uuid(), $1::uuid, $2::uuid, 0.5, '{"attention": 0.5}',
                 jsonb_build_array(jsonb_build_object('mapType', 'attention', 'key', $3::text)))`,
        run!.id,
        imageId,
        'e'.repeat(64),
      );
    }
    return run!.id;
  }

  it("answers the image's result in the latest succeeded run of its dataset that scored it, with its maps", async () => {
    const [first, second] = page;
    const seededRun = seeded.runIds[0]!;
    assert.equal((await latestOf(first!.image.id))?.id, first!.id, 'the only run');
    const later = await addRun('SUCCEEDED', 5, [first!.image.id]);
    await addRun('FAILED', 10, [first!.image.id, second!.image.id]);
    const latest = await latestOf(first!.image.id);
    assert.equal(latest?.run.id, later, 'the later succeeded run; a failed one does not count');
    const data = await api.ok<{
      image: { latestResult: { maps: { mapType: string; levelsUrl: string }[] } };
    }>(LATEST, { id: first!.image.id }, { cookie: viewer.cookie });
    assert.deepEqual(
      data.image.latestResult.maps.map((map) => map.mapType),
      ['attention'],
    );
    assert.match(data.image.latestResult.maps[0]!.levelsUrl, /\/attention\.png\?colour=gray$/);
    assert.equal((await latestOf(second!.image.id))?.run.id, seededRun, 'the later run did not score it');
  });

  it('is null for an image no succeeded run scored', async () => {
    const [image] = await api.prisma.$queryRawUnsafe<{ id: string }[]>(
      `INSERT INTO "Image" (id, "datasetId", name, split, label, "defectType", width, height, channels, "contentHash",
                            "mimeType", "byteSize")
       SELECT gen_random_uuid(), "datasetId", 'unscored', 'TRAIN', 'NORMAL', 'good', width, height, channels,
              "contentHash", "mimeType", "byteSize"
       FROM "Image" WHERE id = $1::uuid
       RETURNING id::text`,
      page[0]!.image.id,
    );
    assert.equal(await latestOf(image!.id), null);
  });
});
