// Query.exports: past exports, newest first, of a run, of a dataset (its mask exports and its runs'), or all,
// each with its status, size, who asked and a download address only once it succeeded; pages both ways.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { seedResults, type Seeded } from '../../bench/seed';
import { startTestApi, type TestApi, type TestUser } from '../support/api';

let api: TestApi;
let seeded: Seeded;
let admin: TestUser;
let viewer: TestUser;
/** Newest first, as the list answers. */
const made: { id: string; kind: 'RUN' | 'MASKS'; status: string }[] = [];

const LIST = `query($runId: ID, $datasetId: ID, $kind: ExportKind, $first: Int, $last: Int, $after: String, $before: String) {
  exports(runId: $runId, datasetId: $datasetId, kind: $kind, first: $first, last: $last, after: $after, before: $before) {
    edges { node { id kind status byteSize fileCount createdAt downloadUrl createdBy { id email } run { id } dataset { id } } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    totalCount } }`;

interface Listed {
  id: string;
  kind: string;
  status: string;
  byteSize: number | null;
  downloadUrl: string | null;
  createdBy: { id: string; email: string } | null;
  run: { id: string } | null;
  dataset: { id: string };
}
interface ListPage {
  edges: { node: Listed }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string; endCursor: string };
  totalCount: number;
}

before(async () => {
  api = await startTestApi('export-list', () => {});
  seeded = await seedResults(api.databaseUrl, { images: 2, runs: 2, anomalousEvery: 2 }, 'export-list');
  admin = await api.user('ADMIN');
  viewer = await api.user('VIEWER');
  const start = Date.now() - 60_000;
  const rows = [
    { kind: 'RUN', runId: seeded.runIds[0], status: 'SUCCEEDED' },
    { kind: 'MASKS', runId: null, status: 'SUCCEEDED' },
    { kind: 'RUN', runId: seeded.runIds[1], status: 'FAILED' },
    { kind: 'RUN', runId: seeded.runIds[0], status: 'QUEUED' },
    { kind: 'MASKS', runId: null, status: 'RUNNING' },
  ] as const;
  for (const [i, row] of rows.entries()) {
    const done = row.status === 'SUCCEEDED' || row.status === 'FAILED';
    const created = await api.prisma.export.create({
      data: {
        kind: row.kind,
        runId: row.runId,
        datasetId: seeded.datasetId,
        masks: row.kind === 'MASKS' ? 'APPROVED' : null,
        status: row.status,
        byteSize: row.status === 'SUCCEEDED' ? 1234 : null,
        fileCount: row.status === 'SUCCEEDED' ? 3 : 0,
        createdById: admin.id,
        createdAt: new Date(start + i * 1000),
        finishedAt: done ? new Date() : null,
      },
    });
    made.unshift({ id: created.id, kind: row.kind, status: row.status });
  }
});
after(() => api.close());

async function list(variables: Record<string, unknown>): Promise<ListPage> {
  return (await api.ok<{ exports: ListPage }>(LIST, variables, { cookie: viewer.cookie })).exports;
}

describe('Query.exports', () => {
  it('lists every export newest first with its status, size and who asked', async () => {
    const page = await list({ first: 10 });
    assert.deepEqual(
      page.edges.map((edge) => edge.node.id),
      made.map((row) => row.id),
    );
    assert.equal(page.totalCount, made.length);
    for (const { node } of page.edges) {
      assert.deepEqual(node.createdBy, { id: admin.id, email: admin.email });
      assert.equal(node.dataset.id, seeded.datasetId);
      if (node.status === 'SUCCEEDED') {
        assert.equal(node.byteSize, 1234);
        assert.match(node.downloadUrl ?? '', new RegExp(`/files/exports/${node.id}\\.zip$`));
      } else {
        assert.equal(node.downloadUrl, null, `${node.status} has nothing to download`);
      }
    }
  });

  it("narrows to a run's, a dataset's or one kind's exports", async () => {
    const ofRun = await list({ runId: seeded.runIds[0], first: 10 });
    assert.deepEqual(
      ofRun.edges.map((edge) => edge.node.run?.id),
      [seeded.runIds[0], seeded.runIds[0]],
    );
    const masks = await list({ datasetId: seeded.datasetId, kind: 'MASKS', first: 10 });
    assert.deepEqual(
      masks.edges.map((edge) => edge.node.id),
      made.filter((row) => row.kind === 'MASKS').map((row) => row.id),
    );
    assert.equal((await list({ datasetId: seeded.datasetId, first: 10 })).totalCount, made.length);
    const bad = await api.gql(LIST, { runId: 'run-1' }, { cookie: viewer.cookie });
    assert.equal(bad.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
  });

  it('pages backwards and forwards over the same list', async () => {
    const lastTwo = await list({ last: 2 });
    assert.deepEqual(
      lastTwo.edges.map((edge) => edge.node.id),
      made.slice(-2).map((row) => row.id),
    );
    assert.equal(lastTwo.pageInfo.hasPreviousPage, true);
    const before = await list({ last: 10, before: lastTwo.pageInfo.startCursor });
    assert.deepEqual(
      before.edges.map((edge) => edge.node.id),
      made.slice(0, -2).map((row) => row.id),
    );
    assert.equal(before.pageInfo.hasPreviousPage, false);
  });
});
