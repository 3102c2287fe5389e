import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  bestOf,
  compareHref,
  disagreements,
  flattenSettings,
  metricsByDefect,
  metricsByMap,
  parseRunIds,
  runLabels,
  settingRows,
  whyNotComparable,
} from '../../../lib/domain/compare';
import { FIT_VIEW, panBy, zoomAt } from '../../../lib/synced-view';

describe('the runs a compare page is asked for', () => {
  it('come comma-separated or repeated, in order, without repeats or blanks', () => {
    assert.deepEqual(parseRunIds('a,b, c,,a'), ['a', 'b', 'c']);
    assert.deepEqual(parseRunIds(['a', 'b,c', 'b']), ['a', 'b', 'c']);
    assert.deepEqual(parseRunIds(undefined), []);
  });

  it('travel comma-separated in its links, with the other choices kept', () => {
    assert.equal(compareHref(['a', 'b'], { map: 'ssim', image: undefined }), '/runs/compare?runs=a,b&map=ssim');
  });

  it('are refused in words when unknown, too many, or of different datasets', () => {
    const run = (id: string, dataset: string) => ({ id, name: id, dataset: { id: dataset, name: `set ${dataset}` } });
    assert.equal(whyNotComparable(['a', 'b'], [run('a', '1'), run('b', '1')]), null);
    assert.match(whyNotComparable(['a', 'x'], [run('a', '1')])!, /No run has the id x/);
    assert.match(whyNotComparable(['a', 'b'], [run('a', '1'), run('b', '2')])!, /on set 1 and set 2/);
    assert.match(whyNotComparable(['1', '2', '3', '4', '5', '6', '7'], [])!, /at most 6/);
  });

  it('are named by their names, with the id where two are alike', () => {
    const runs = [
      { id: 'aaaaaaaa-1', name: 'small' },
      { id: 'bbbbbbbb-2', name: 'small' },
      { id: 'cccccccc-3', name: '' },
    ];
    assert.deepEqual(runLabels(runs), ['small (aaaaaaaa)', 'small (bbbbbbbb)', 'Run cccccccc']);
  });
});

describe('settings side by side', () => {
  it('flatten nested configs into dotted names, lists joined', () => {
    const flat = flattenSettings({ preset: 'tiny', train: { epochs: 3, layers: ['enc1', 'enc2'] }, seed: null });
    assert.deepEqual(Object.fromEntries(flat), {
      preset: 'tiny',
      'train.epochs': '3',
      'train.layers': 'enc1, enc2',
      seed: 'null',
    });
  });

  it('mark the settings that differ, a setting one run lacks included; options stand in for a missing config', () => {
    const rows = settingRows([
      { options: {}, config: { preset: 'tiny', train: { epochs: 3, smoothing: 0 } } },
      { options: {}, config: { preset: 'tiny', train: { epochs: 5 } } },
      { options: { preset: 'tiny' }, config: null },
    ]);
    assert.deepEqual(
      rows.map((row) => [row.key, row.values, row.differs]),
      [
        ['preset', ['tiny', 'tiny', 'tiny'], false],
        ['train.epochs', ['3', '5', null], true],
        ['train.smoothing', ['0', null, null], true],
      ],
    );
  });
});

describe('metrics side by side', () => {
  it('mark the best of a row, ties included, and nothing without values', () => {
    assert.deepEqual(bestOf([0.5, 0.9, null, 0.9]), [1, 3]);
    assert.deepEqual(bestOf([null, null]), []);
  });

  const metrics = (value: number) => ({
    imageAuroc: value,
    pixelAuroc: value,
    aupro: null,
    f1Max: value,
    bestIou: value,
  });
  const runs = [
    {
      latestEvaluation: {
        metrics: [
          { mapType: 'attention', overall: metrics(0.6), perDefect: [{ defectType: 'crack', metrics: metrics(0.7) }] },
        ],
      },
    },
    {
      latestEvaluation: {
        metrics: [
          { mapType: 'attention', overall: metrics(0.8), perDefect: [{ defectType: 'crack', metrics: metrics(0.5) }] },
          { mapType: 'ssim', overall: metrics(0.4), perDefect: [] },
        ],
      },
    },
    { latestEvaluation: null },
  ] as unknown as Parameters<typeof metricsByMap>[0];

  it('group by map type over every map any run evaluated', () => {
    const groups = metricsByMap(runs);
    assert.deepEqual(
      groups.map((group) => group.name),
      ['attention', 'ssim'],
    );
    const imageAuroc = groups[0]!.rows.find((row) => row.key === 'imageAuroc')!;
    assert.deepEqual(imageAuroc.values, [0.6, 0.8, null]);
    assert.deepEqual(imageAuroc.best, [1]);
    assert.deepEqual(groups[0]!.rows.find((row) => row.key === 'aupro')!.best, [], 'no values, no best');
    assert.deepEqual(groups[1]!.rows[0]!.values, [null, 0.4, null]);
  });

  it("group one map's metrics by defect type", () => {
    const [crack] = metricsByDefect(runs, 'attention', ['crack']);
    assert.deepEqual(crack!.rows[0]!.values, [0.7, 0.5, null]);
    assert.deepEqual(crack!.rows[0]!.best, [0]);
  });
});

describe('where runs disagree', () => {
  const node = (id: string, normalizedScore: number | null, verdict: 'NORMAL' | 'ANOMALOUS' | null) => ({
    score: normalizedScore ?? 0,
    normalizedScore,
    verdict,
    image: { id, name: `test/${id}`, label: 'NORMAL' as const, defectType: 'good' },
  });

  it('puts differing verdicts first, then the widest spread of normalised scores', () => {
    const found = disagreements([
      [node('a', 0.9, 'ANOMALOUS'), node('b', 0.45, 'NORMAL'), node('c', 0.1, 'NORMAL')],
      [node('b', 0.55, 'ANOMALOUS'), node('c', 0.4, 'NORMAL'), node('a', 0.85, 'ANOMALOUS')],
    ]);
    assert.deepEqual(
      found.map((entry) => [entry.imageId, entry.verdictsDiffer]),
      [
        ['b', true],
        ['c', false],
        ['a', false],
      ],
    );
    assert.ok(Math.abs(found[1]!.spread - 0.3) < 1e-9);
  });

  it("reads places in each run's order where a run has no decision", () => {
    const found = disagreements([
      [node('a', null, null), node('b', null, null), node('c', null, null)],
      [node('c', null, null), node('b', null, null), node('a', null, null)],
    ]);
    assert.deepEqual(found[0]!.readings.length, 2);
    assert.deepEqual(
      found.map((entry) => [entry.imageId, entry.spread]),
      [
        ['a', 1],
        ['c', 1],
        ['b', 0],
      ],
    );
  });
});

describe('one view shared by the map panels', () => {
  it('zooms about a point, which stays where it was', () => {
    const view = zoomAt(FIT_VIEW, 2, { x: 0.25, y: 0.75 });
    assert.deepEqual(view, { scale: 2, x: -0.25, y: -0.75 });
    // The image point under (0.25, 0.75) is still (0.25, 0.75) of the image.
    assert.equal((0.25 - view.x) / view.scale, 0.25);
  });

  it('never zooms out past fit nor pans the image off the panel', () => {
    assert.deepEqual(zoomAt(FIT_VIEW, 0.5), FIT_VIEW);
    const zoomed = zoomAt(FIT_VIEW, 2);
    assert.deepEqual(panBy(zoomed, 5, -5), { scale: 2, x: 0, y: -1 });
    assert.deepEqual(panBy(FIT_VIEW, 0.3, 0.3), FIT_VIEW);
  });
});
