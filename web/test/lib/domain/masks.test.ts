import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  contextHref,
  editorSearch,
  hintFor,
  hintLegendUrl,
  parseEditorContext,
  type AnnotatedImage,
} from '../../../lib/domain/masks';

function imageWith(latestResult: AnnotatedImage['latestResult']): AnnotatedImage {
  return { latestResult } as AnnotatedImage;
}

const LATEST: NonNullable<AnnotatedImage['latestResult']> = {
  id: 'result',
  run: { id: 'run', name: 'nightly' },
  maps: [
    { mapType: 'residual', levelsUrl: '/files/results/r/residual.png?colour=gray' },
    { mapType: 'attention', levelsUrl: '/files/results/r/attention.png?colour=gray' },
  ],
};

describe('hintFor', () => {
  it("prefers the attention map of the run the editor came from, else the dataset's latest run's", () => {
    const fromRun = { levelsUrl: '/files/results/q/attention.png?colour=gray', runName: 'picked' };
    assert.deepEqual(hintFor(imageWith(LATEST), fromRun), fromRun);
    assert.deepEqual(hintFor(imageWith(LATEST), null), {
      levelsUrl: '/files/results/r/attention.png?colour=gray',
      runName: 'nightly',
    });
  });

  it('is null without a scored result or without an attention map', () => {
    assert.equal(hintFor(imageWith(null), null), null);
    assert.equal(hintFor(imageWith({ ...LATEST, maps: [LATEST.maps[0]!] }), null), null);
  });
});

describe('hintLegendUrl', () => {
  it("picks the API's ice colour map, else the default (the first), else none", () => {
    const inferno = { name: 'inferno', legendUrl: '/files/colour-maps/inferno.png' };
    const ice = { name: 'ice', legendUrl: '/files/colour-maps/ice.png' };
    assert.equal(hintLegendUrl([inferno, ice]), ice.legendUrl);
    assert.equal(hintLegendUrl([inferno]), inferno.legendUrl);
    assert.equal(hintLegendUrl([]), null);
  });
});

describe('the editor context', () => {
  it('walks My queue when opened from it, whatever dataset the image is in', () => {
    const context = parseEditorContext({ queue: 'mine', dataset: 'd1' }, 'd1');
    assert.deepEqual(context, { kind: 'queue' });
    assert.equal(editorSearch(context), 'queue=mine');
    assert.equal(contextHref(context), '/queue');
  });

  it("walks a run's results or a dataset's images otherwise, and travels back the same way", () => {
    const run = parseEditorContext({ run: 'r1', label: 'ANOMALOUS' }, 'd1');
    assert.deepEqual(parseEditorContext(Object.fromEntries(new URLSearchParams(editorSearch(run))), 'd1'), run);
    assert.match(contextHref(run), /^\/runs\/r1\/results\?/);
    const dataset = parseEditorContext({}, 'd1');
    assert.equal(dataset.kind, 'dataset');
    assert.equal(contextHref(dataset), '/datasets/d1');
    assert.deepEqual(parseEditorContext({ queue: 'theirs' }, 'd2').kind, 'dataset');
  });
});
