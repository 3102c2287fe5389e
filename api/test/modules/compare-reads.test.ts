// What comparing runs reads: several runs by id in one request (`runs(filter: { ids })`), and each run's result
// for one image (`results(filter: { imageId })`), so that a page can show the same image across runs.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { seedResults, type Seeded } from '../../bench/seed';
import { startTestApi, type TestApi, type TestUser } from '../support/api';

const MISSING = '00000000-0000-4000-8000-000000000000';

let api: TestApi;
let seeded: Seeded;
let viewer: TestUser;

before(async () => {
  api = await startTestApi('compare_reads');
  seeded = await seedResults(api.databaseUrl, { images: 8, runs: 3, anomalousEvery: 2 }, 'compare');
  viewer = await api.user('VIEWER');
});
after(() => api.close());

interface RunsAnswer {
  runs: { totalCount: number; edges: { node: { id: string } }[] };
}

describe('runs(filter: { ids })', () => {
  it('answers exactly the runs named, whatever their order in the list', async () => {
    const wanted = [seeded.runIds[2]!, seeded.runIds[0]!];
    const data = await api.ok<RunsAnswer>(
      'query($ids: [ID!]) { runs(first: 10, filter: { ids: $ids }) { totalCount edges { node { id } } } }',
      { ids: [...wanted, MISSING] },
      { cookie: viewer.cookie },
    );
    assert.equal(data.runs.totalCount, 2, 'an id that names no run adds nothing');
    assert.deepEqual(data.runs.edges.map((edge) => edge.node.id).sort(), [...wanted].sort());
  });

  it('answers no runs for an empty list', async () => {
    const data = await api.ok<RunsAnswer>(
      '{ runs(first: 10, filter: { ids: [] }) { totalCount edges { node { id } } } }',
      {},
      { cookie: viewer.cookie },
    );
    assert.equal(data.runs.totalCount, 0);
  });

  it('refuses an id that is not a run id, naming it', async () => {
    const answer = await api.gql(
      '{ runs(first: 10, filter: { ids: ["not-an-id"] }) { totalCount } }',
      {},
      { cookie: viewer.cookie },
    );
    assert.equal(answer.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
    assert.match(answer.errors![0]!.message, /"not-an-id", which is not a run id/);
  });
});

interface ImageAcrossRuns {
  runs: {
    edges: {
      node: {
        id: string;
        results: {
          totalCount: number;
          edges: { node: { id: string; score: number; image: { id: string }; maps: { mapType: string }[] } }[];
        };
      };
    }[];
  };
}

const ACROSS = `query($ids: [ID!], $imageId: ID) {
  runs(first: 10, filter: { ids: $ids }) {
    edges { node { id results(first: 5, filter: { imageId: $imageId }) {
      totalCount edges { node { id score image { id } maps { mapType } } }
    } } }
  }
}`;

describe('results(filter: { imageId })', () => {
  it("answers each run's one result for the image, in one request", async () => {
    const image = await api.prisma.image.findFirstOrThrow({
      where: { datasetId: seeded.datasetId, label: 'ANOMALOUS' },
    });
    const data = await api.ok<ImageAcrossRuns>(
      ACROSS,
      { ids: seeded.runIds, imageId: image.id },
      { cookie: viewer.cookie },
    );
    assert.equal(data.runs.edges.length, 3);
    for (const { node: run } of data.runs.edges) {
      assert.equal(run.results.totalCount, 1, `run ${run.id}`);
      const [result] = run.results.edges.map((edge) => edge.node);
      assert.equal(result!.image.id, image.id);
      const stored = await api.prisma.result.findUniqueOrThrow({
        where: { runId_imageId: { runId: run.id, imageId: image.id } },
      });
      assert.equal(result!.id, stored.id);
      assert.equal(result!.score, stored.score);
    }
  });

  it('answers no result for an image the run did not score', async () => {
    const data = await api.ok<ImageAcrossRuns>(
      ACROSS,
      { ids: [seeded.runIds[0]], imageId: MISSING },
      { cookie: viewer.cookie },
    );
    assert.equal(data.runs.edges[0]!.node.results.totalCount, 0);
    assert.deepEqual(data.runs.edges[0]!.node.results.edges, []);
  });

  it('refuses an image id that is not an id, naming it', async () => {
    const answer = await api.gql(ACROSS, { ids: [seeded.runIds[0]], imageId: 'image-1' }, { cookie: viewer.cookie });
    assert.equal(answer.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
    assert.match(answer.errors![0]!.message, /"image-1" is not an image id/);
  });
});
