import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { GraphqlClient } from '../../../lib/graphql/client';
import {
  chooseMap,
  parseResultQuery,
  resultInContext,
  resultQueryToSearch,
  thresholdValue,
  withMapType,
  type ResultMap,
} from '../../../lib/domain/results';

/**
 * A fake API holding a run's results r0.. in score order: `result(id)` answers any of them (or one of `otherRun`),
 * while the run's list pages only those the filter keeps (`listed`, all by default), like the real one.
 */
function fakeApi(count: number, { listed, otherRun = [] }: { listed?: number[]; otherRun?: string[] } = {}) {
  const all = Array.from({ length: count }, (_, index) => `r${index}`);
  const ids = listed ? listed.map((index) => `r${index}`) : all;
  const asked: { operation: string; after?: string | null; id?: string }[] = [];
  const client: GraphqlClient = {
    request: (async (
      document: { toString(): string },
      variables: { id: string } | { runId: string; first: number; after: string | null },
    ) => {
      const operation = /query (\w+)/.exec(document.toString())![1]!;
      if ('id' in variables) {
        asked.push({ operation, id: variables.id });
        const runId = all.includes(variables.id) ? 'run' : otherRun.includes(variables.id) ? 'other' : null;
        if (!runId) return { result: null };
        return {
          result: {
            id: variables.id,
            score: 1,
            image: { id: `i-${variables.id}`, name: `${variables.id}.png` },
            run: { id: runId, name: '', status: 'SUCCEEDED', dataset: { id: 'd', name: 'd' } },
          },
        };
      }
      asked.push({ operation, after: variables.after });
      const start = variables.after === null ? 0 : ids.indexOf(variables.after) + 1;
      const page = ids.slice(start, start + variables.first);
      return {
        run: {
          id: variables.runId,
          results: {
            totalCount: ids.length,
            pageInfo: { hasNextPage: start + variables.first < ids.length, endCursor: page.at(-1) ?? null },
            edges: page.map((id) => ({ node: { id } })),
          },
        },
      };
    }) as GraphqlClient['request'],
  };
  return { client, asked };
}

describe('resultInContext', () => {
  it('fetches the result by id and reads only the pages of ids it needs for its place and neighbours', async () => {
    const { client, asked } = fakeApi(250);
    const found = await resultInContext(client, 'run', 'r150');
    assert.equal(found?.index, 150);
    assert.equal(found?.total, 250);
    assert.equal(found?.previousId, 'r149');
    assert.equal(found?.nextId, 'r151');
    assert.equal(found?.result.id, 'r150');
    assert.equal(found?.result.image.name, 'r150.png');
    assert.equal(found?.run.id, 'run');
    assert.ok(!('run' in found.result), 'the run is returned once, beside the result');
    assert.deepEqual(asked, [
      { operation: 'ResultView', id: 'r150' },
      { operation: 'RunResultIds', after: null },
      { operation: 'RunResultIds', after: 'r99' },
    ]);
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

  it('places the result among those the filters keep', async () => {
    const found = await resultInContext(fakeApi(10, { listed: [1, 4, 7] }).client, 'run', 'r4', { label: 'ANOMALOUS' });
    assert.deepEqual(
      { index: found?.index, total: found?.total, previousId: found?.previousId, nextId: found?.nextId },
      { index: 1, total: 3, previousId: 'r1', nextId: 'r7' },
    );
  });

  it("is null for a result that does not exist, is another run's, or is filtered out", async () => {
    assert.equal(await resultInContext(fakeApi(5).client, 'run', 'nope'), null);
    assert.equal(await resultInContext(fakeApi(5, { otherRun: ['x1'] }).client, 'run', 'x1'), null);
    assert.equal(await resultInContext(fakeApi(5, { listed: [0, 1] }).client, 'run', 'r3'), null);
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

describe("a result view's map choice", () => {
  const map = (mapType: string): ResultMap => ({
    mapType,
    url: `/files/results/r/${mapType}.png`,
    levelsUrl: `/files/results/r/${mapType}.png?colour=gray`,
    overlayUrl: `/files/results/r/${mapType}.png?overlay=1`,
    score: null,
    range: { min: -1, max: 3 },
  });
  const maps = ['residual', 'attention', 'ssim'].map(map);

  it('is the map asked for, else attention, else the first', () => {
    assert.equal(chooseMap(maps, 'ssim')?.mapType, 'ssim');
    assert.equal(chooseMap(maps, 'segmentation')?.mapType, 'attention');
    assert.equal(chooseMap(maps, undefined)?.mapType, 'attention');
    assert.equal(chooseMap([map('residual'), map('ssim')], undefined)?.mapType, 'residual');
    assert.equal(chooseMap([], 'ssim'), null);
  });

  it('travels in links as `map`, left out for attention', () => {
    assert.equal(
      withMapType('/runs/a/results/b?label=ANOMALOUS', 'ssim'),
      '/runs/a/results/b?label=ANOMALOUS&map=ssim',
    );
    assert.equal(
      withMapType('/runs/a/results/b?map=ssim&label=NORMAL', 'msgms'),
      '/runs/a/results/b?map=msgms&label=NORMAL',
    );
    assert.equal(withMapType('/runs/a/results/b?map=ssim&label=NORMAL', 'attention'), '/runs/a/results/b?label=NORMAL');
    assert.equal(withMapType('/runs/a/results/b', 'attention'), '/runs/a/results/b');
  });

  it("reads a threshold's share of the range in the map's values", () => {
    assert.equal(thresholdValue({ min: -1, max: 3 }, 0.5), 1);
    assert.equal(thresholdValue({ min: -1, max: 3 }, 0), -1);
    assert.equal(thresholdValue(null, 0.5), null);
  });
});
