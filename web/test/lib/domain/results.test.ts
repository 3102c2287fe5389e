import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { GraphqlClient } from '../../../lib/graphql/client';
import { parseResultQuery, resultInContext, resultQueryToSearch } from '../../../lib/domain/results';

/** A fake API holding `count` results r0.. in score order, paging them like the real one. */
function fakeApi(count: number) {
  const ids = Array.from({ length: count }, (_, index) => `r${index}`);
  const asked: { operation: string; after: string | null; first: number }[] = [];
  const client: GraphqlClient = {
    request: (async (document: { toString(): string }, variables: { first: number; after: string | null }) => {
      const operation = /query (\w+)/.exec(document.toString())![1]!;
      asked.push({ operation, after: variables.after, first: variables.first });
      const start = variables.after === null ? 0 : ids.indexOf(variables.after) + 1;
      const page = ids.slice(start, start + variables.first);
      const edges = page.map((id) => ({
        cursor: id,
        node: { id, score: 1, image: { id: `i-${id}`, label: 'NORMAL', defectType: 'good' } },
      }));
      return {
        run: {
          id: 'run',
          name: '',
          status: 'SUCCEEDED',
          dataset: { id: 'd', name: 'd' },
          results: {
            totalCount: count,
            pageInfo: { hasNextPage: start + variables.first < count, endCursor: page.at(-1) ?? null },
            edges,
          },
        },
      };
    }) as GraphqlClient['request'],
  };
  return { client, asked };
}

describe('resultInContext', () => {
  it('finds a result deep in the list with its neighbours, reading only the pages it needs', async () => {
    const { client, asked } = fakeApi(250);
    const found = await resultInContext(client, 'run', 'r150');
    assert.equal(found?.index, 150);
    assert.equal(found?.total, 250);
    assert.equal(found?.previousId, 'r149');
    assert.equal(found?.nextId, 'r151');
    assert.equal(found?.result.id, 'r150');
    assert.deepEqual(
      asked.map((entry) => [entry.operation, entry.after]),
      [
        ['RunResultOrder', null],
        ['RunResultOrder', 'r99'],
        ['RunResultPage', 'r149'],
      ],
    );
  });

  it('reads one more page when the result ends a page, for its "next"', async () => {
    const { client } = fakeApi(250);
    const found = await resultInContext(client, 'run', 'r99');
    assert.equal(found?.nextId, 'r100');
    const first = await resultInContext(client, 'run', 'r0');
    assert.equal(first?.previousId, null);
    const last = await resultInContext(fakeApi(3).client, 'run', 'r2');
    assert.equal(last?.nextId, null);
  });

  it('is null for a result the run does not have', async () => {
    assert.equal(await resultInContext(fakeApi(5).client, 'run', 'nope'), null);
  });
});

describe('result gallery filters', () => {
  it('round-trip through the URL, most anomalous first by default', () => {
    const query = parseResultQuery({ label: 'ANOMALOUS', defect: 'crack', order: 'SCORE_ASC' });
    assert.deepEqual(query, { label: 'ANOMALOUS', defectType: 'crack', order: 'SCORE_ASC' });
    assert.equal(resultQueryToSearch(query).toString(), 'label=ANOMALOUS&defect=crack&order=SCORE_ASC');
    assert.deepEqual(parseResultQuery({ label: 'weird' }), {
      label: undefined,
      defectType: undefined,
      order: 'SCORE_DESC',
    });
  });
});
