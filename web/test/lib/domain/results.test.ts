import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { GraphqlClient } from '../../../lib/graphql/client';
import {
  chooseMap,
  iou,
  listKey,
  mapDownloads,
  outcomeFilters,
  outcomeOf,
  parseResultQuery,
  pickMapType,
  pixelThreshold,
  queryOutcome,
  resultGallery,
  resultInContext,
  resultQueryToSearch,
  resultsHref,
  thresholdShare,
  thresholdValue,
  withMapType,
  type MapType,
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
    assert.deepEqual(query, {
      label: 'ANOMALOUS',
      verdict: undefined,
      defectType: 'crack',
      order: 'SCORE_ASC',
      view: 'image',
    });
    assert.equal(resultQueryToSearch(query).toString(), 'label=ANOMALOUS&defect=crack&order=SCORE_ASC');
    assert.deepEqual(parseResultQuery({ label: 'weird', verdict: 'MAYBE', view: 'x-ray' }), {
      label: undefined,
      verdict: undefined,
      defectType: undefined,
      order: 'SCORE_DESC',
      view: 'image',
    });
  });

  it('carry the verdict and the heat-map view, and only the default view is left out', () => {
    const query = parseResultQuery({ label: 'NORMAL', verdict: 'ANOMALOUS', view: 'heatmap' });
    assert.equal(query.verdict, 'ANOMALOUS');
    assert.equal(query.view, 'heatmap');
    assert.equal(resultQueryToSearch(query).toString(), 'label=NORMAL&verdict=ANOMALOUS&view=heatmap');
    assert.equal(parseResultQuery(Object.fromEntries(resultQueryToSearch(query))).view, 'heatmap');
  });

  it("key the gallery's list on what selects and orders it, not on how it is shown", () => {
    const query = parseResultQuery({ verdict: 'NORMAL', order: 'SCORE_ASC' });
    assert.equal(listKey({ ...query, view: 'heatmap' }), listKey(query));
    assert.notEqual(listKey({ ...query, verdict: 'ANOMALOUS' }), listKey(query));
  });

  it('reach the API as its ResultFilter, verdict included', async () => {
    const asked: unknown[] = [];
    const client = {
      request: async (_document: unknown, variables: unknown) => {
        asked.push(variables);
        return {
          run: {
            id: 'run',
            results: { totalCount: 0, pageInfo: { hasNextPage: false, endCursor: null }, edges: [] },
          },
        };
      },
    } as unknown as GraphqlClient;
    await resultGallery(
      client,
      'run',
      parseResultQuery({ label: 'NORMAL', verdict: 'ANOMALOUS', view: 'heatmap' }),
      null,
    );
    assert.deepEqual(asked, [
      {
        runId: 'run',
        first: 100,
        after: null,
        filter: { label: 'NORMAL', verdict: 'ANOMALOUS' },
        orderBy: 'SCORE_DESC',
      },
    ]);
  });
});

describe('outcomes', () => {
  it('judge a verdict against the label: false positives are normal images called anomalous', () => {
    assert.equal(outcomeOf('NORMAL', 'ANOMALOUS'), 'FALSE_POSITIVE');
    assert.equal(outcomeOf('ANOMALOUS', 'NORMAL'), 'FALSE_NEGATIVE');
    assert.equal(outcomeOf('ANOMALOUS', 'ANOMALOUS'), 'TRUE_POSITIVE');
    assert.equal(outcomeOf('NORMAL', 'NORMAL'), 'TRUE_NEGATIVE');
    assert.equal(outcomeOf('UNLABELED', 'ANOMALOUS'), null, 'nothing to judge against');
    assert.equal(outcomeOf('NORMAL', null), null, 'no verdict without a decision');
  });

  it('are the label and verdict filters together, both ways', () => {
    assert.deepEqual(outcomeFilters('FALSE_POSITIVE'), { label: 'NORMAL', verdict: 'ANOMALOUS' });
    assert.deepEqual(outcomeFilters('FALSE_NEGATIVE'), { label: 'ANOMALOUS', verdict: 'NORMAL' });
    assert.deepEqual(outcomeFilters(undefined), { label: undefined, verdict: undefined });
    assert.equal(queryOutcome({ label: 'NORMAL', verdict: 'ANOMALOUS' }), 'FALSE_POSITIVE');
    assert.equal(queryOutcome({ label: 'NORMAL', verdict: undefined }), undefined);
    assert.equal(queryOutcome({ label: 'UNLABELED', verdict: 'NORMAL' }), undefined);
    assert.equal(queryOutcome({ label: undefined, verdict: 'NORMAL' }), undefined);
  });

  it('link to the results they select', () => {
    assert.equal(
      resultsHref('r1', outcomeFilters('FALSE_POSITIVE')),
      '/runs/r1/results?label=NORMAL&verdict=ANOMALOUS',
    );
    assert.equal(resultsHref('r1', { verdict: 'ANOMALOUS' }), '/runs/r1/results?verdict=ANOMALOUS');
    assert.equal(resultsHref('r1', {}), '/runs/r1/results');
  });
});

describe("a result view's map choice", () => {
  const map = (mapType: MapType): ResultMap => ({
    mapType,
    url: `/files/results/r/${mapType}.png`,
    levelsUrl: `/files/results/r/${mapType}.png?colour=gray`,
    overlayUrl: `/files/results/r/${mapType}.png?overlay=1`,
    tiffUrl: `/files/results/r/${mapType}.tiff`,
    npyUrl: `/files/results/r/${mapType}.npy`,
    predictedMaskUrl: `/files/results/r/predicted/${mapType}.png`,
    score: null,
    range: { min: -1, max: 3 },
  });
  const maps = (['residual', 'attention', 'ssim'] as const).map(map);

  it('is the map asked for, else attention, else the first', () => {
    assert.equal(chooseMap(maps, 'ssim')?.mapType, 'ssim');
    assert.equal(chooseMap(maps, 'segmentation')?.mapType, 'attention');
    assert.equal(chooseMap(maps, undefined)?.mapType, 'attention');
    assert.equal(chooseMap([map('residual'), map('ssim')], undefined)?.mapType, 'residual');
    assert.equal(chooseMap([], 'ssim'), null);
  });

  it("is read from a link's `map` only when the run has that map type, else the run's first", () => {
    const types: MapType[] = ['attention', 'residual', 'attention_loss'];
    assert.equal(pickMapType(types, 'attention_loss'), 'attention_loss');
    assert.equal(pickMapType(types, 'residual'), 'residual');
    assert.equal(pickMapType(types, 'segmentation'), 'attention');
    assert.equal(pickMapType(types, 'attention-loss'), 'attention', "the files' spelling is not the enum's");
    assert.equal(pickMapType(types, undefined), 'attention');
    assert.equal(pickMapType([], 'ssim'), undefined);
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

  it('reads a map value back as its share of the range, clamped', () => {
    assert.equal(thresholdShare({ min: -1, max: 3 }, 1), 0.5);
    assert.equal(thresholdShare({ min: -1, max: 3 }, thresholdValue({ min: -1, max: 3 }, 0.25)!), 0.25);
    assert.equal(thresholdShare({ min: -1, max: 3 }, 7), 1);
    assert.equal(thresholdShare({ min: -1, max: 3 }, -5), 0);
    assert.equal(thresholdShare({ min: 2, max: 2 }, 2), 0, 'a range of one value');
    assert.equal(thresholdShare(null, 1), null);
  });
});

describe("a result's predicted mask", () => {
  const evaluation = {
    metrics: [
      { mapType: 'attention', overall: { f1Threshold: 0.42 } },
      { mapType: 'ssim', overall: { f1Threshold: null } },
    ],
  };

  it("is at the latest evaluation's pixel F1-max threshold of its map, and there is none without one", () => {
    assert.equal(pixelThreshold(evaluation, 'attention'), 0.42);
    assert.equal(pixelThreshold(evaluation, 'ssim'), null, 'kept no threshold (no masks, or an older evaluation)');
    assert.equal(pixelThreshold(evaluation, 'msgms'), null, 'not measured');
    assert.equal(pixelThreshold(null, 'attention'), null, 'no evaluation');
  });

  it("is offered for download beside the map's values, named after the image and the map", () => {
    const map: ResultMap = {
      mapType: 'attention',
      url: '/u',
      levelsUrl: '/l',
      overlayUrl: '/o',
      tiffUrl: '/files/results/r/attention.tiff',
      npyUrl: '/files/results/r/attention.npy',
      predictedMaskUrl: '/files/results/r/predicted/attention.png',
      score: 1,
      range: null,
    };
    assert.deepEqual(mapDownloads('scratch/007.png', map, 0.42), [
      { href: map.tiffUrl, filename: 'scratch_007-attention.tiff', text: 'Values (TIFF)' },
      { href: map.npyUrl, filename: 'scratch_007-attention.npy', text: 'Values (NumPy)' },
      { href: map.predictedMaskUrl, filename: 'scratch_007-attention-predicted.png', text: 'Predicted mask (PNG)' },
    ]);
    assert.deepEqual(
      mapDownloads('plain', map, null).map((file) => file.filename),
      ['plain-attention.tiff', 'plain-attention.npy'],
      'no predicted mask without a threshold (the API answers 409)',
    );
  });

  it('is compared with the ground truth by intersection over union', () => {
    assert.equal(iou(Uint8Array.of(1, 1, 0, 0), Uint8Array.of(0, 1, 1, 0)), 1 / 3);
    assert.equal(iou(Uint8Array.of(1, 0), Uint8Array.of(1, 0)), 1);
    assert.equal(iou(Uint8Array.of(0, 0), Uint8Array.of(0, 0)), null, 'nothing predicted, nothing true');
    assert.throws(() => iou(Uint8Array.of(1), Uint8Array.of(1, 0)), /1 and 2 pixels/);
  });
});
