// A page of results with their images and current masks costs the same few SQL statements whatever its size:
// every image and mask of a page is fetched by one batched query (DataLoader), not one query per result.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { RESULTS_PAGE } from '../../bench/page-query';
import { seedResults, type Seeded } from '../../bench/seed';
import { startTestApi, type TestApi } from '../support/api';

let api: TestApi;
let seeded: Seeded;
let key: string;
let recording: string[] | null = null;

before(async () => {
  api = await startTestApi(
    'dataloader',
    (config) => {
      // No background reaping while statements are counted.
      config.worker.reapIntervalMs = 3_600_000;
      config.authCacheMs = 0;
    },
    { onQuery: (sql) => recording?.push(sql) },
  );
  seeded = await seedResults(api.databaseUrl, { images: 300, runs: 2, anomalousEvery: 3 }, 'loader');
  const admin = await api.user('ADMIN');
  key = (
    await api.ok<{ createApiKey: { secret: string } }>(
      'mutation { createApiKey(name: "count", scopes: [READ]) { secret } }',
      {},
      { cookie: admin.cookie },
    )
  ).createApiKey.secret;
  await api.gql('{ me { id } }', {}, { apiKey: key }); // the key's first use stamps lastUsedAt
  await new Promise((resolve) => setTimeout(resolve, 200));
});
after(() => api.close());

interface Page {
  run: {
    results: {
      totalCount: number;
      pageInfo: { hasNextPage: boolean; endCursor: string };
      edges: {
        node: { score: number; image: { label: string; currentMask: { version: number; status: string } | null } };
      }[];
    };
  };
}

async function counted(first: number, after?: string): Promise<{ page: Page; statements: string[] }> {
  recording = [];
  const page = await api.ok<Page>(RESULTS_PAGE, { runId: seeded.runIds[0], first, after }, { apiKey: key });
  const statements = recording;
  recording = null;
  return { page, statements };
}

describe('DataLoader batching', () => {
  it('a page of 100 results with images and masks takes as many statements as a page of 10', async () => {
    const hundred = await counted(100);
    assert.equal(hundred.page.run.results.edges.length, 100);
    assert.equal(hundred.page.run.results.totalCount, 300);
    const anomalous = hundred.page.run.results.edges.filter((edge) => edge.node.image.label === 'ANOMALOUS');
    assert.ok(anomalous.length > 10);
    assert.ok(anomalous.every((edge) => edge.node.image.currentMask?.status === 'APPROVED'));
    assert.ok(
      hundred.page.run.results.edges
        .filter((edge) => edge.node.image.label === 'NORMAL')
        .every((edge) => edge.node.image.currentMask === null),
    );

    const ten = await counted(10);
    const next = await counted(100, hundred.page.run.results.pageInfo.endCursor);
    assert.equal(next.page.run.results.edges.length, 100);
    const describe = (statements: string[]) =>
      statements.map((sql) => sql.replace(/\s+/g, ' ').slice(0, 120)).join('\n');
    assert.equal(hundred.statements.length, ten.statements.length, describe(hundred.statements));
    assert.equal(hundred.statements.length, next.statements.length, describe(next.statements));
    // Credentials, the run, and the page with its images and their masks: nothing per result.
    assert.ok(hundred.statements.length <= 4, describe(hundred.statements));
    const imageQueries = hundred.statements.filter((sql) => /"Image"/.test(sql));
    assert.equal(imageQueries.length, 1, describe(hundred.statements));
  });
});
