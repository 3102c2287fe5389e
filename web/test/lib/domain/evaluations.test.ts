import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { delta, pickEvaluations, points, type EvaluationDetail } from '../../../lib/domain/evaluations';

const evaluation = (id: string, status: EvaluationDetail['status']) => ({ id, status }) as EvaluationDetail;

describe('pickEvaluations', () => {
  // Newest first, as the API lists them.
  const list = [
    evaluation('e4', 'RUNNING'),
    evaluation('e3', 'SUCCEEDED'),
    evaluation('e2', 'FAILED'),
    evaluation('e1', 'SUCCEEDED'),
  ];

  it('shows the newest that succeeded, compared with the succeeded one before it', () => {
    const { selected, previous } = pickEvaluations(list, undefined);
    assert.equal(selected?.id, 'e3');
    assert.equal(previous?.id, 'e1');
  });

  it('shows the one asked for, even unfinished, and nothing to compare with when none is older', () => {
    assert.equal(pickEvaluations(list, 'e4').selected?.id, 'e4');
    assert.equal(pickEvaluations(list, 'e4').previous?.id, 'e3');
    assert.equal(pickEvaluations(list, 'e1').previous, null);
    assert.deepEqual(pickEvaluations([evaluation('e9', 'QUEUED')], undefined), { selected: null, previous: null });
  });
});

describe('delta and points', () => {
  it('is the change of a figure, or null when either side is undefined', () => {
    assert.equal(delta(0.75, 0.5), 0.25);
    assert.equal(delta(null, 0.5), null);
    assert.equal(delta(0.5, undefined), null);
  });

  it('pairs curve coordinates for charts', () => {
    assert.deepEqual(points({ x: [0, 0.5, 1], y: [0, 0.8, 1] }), [
      [0, 0],
      [0.5, 0.8],
      [1, 1],
    ]);
    assert.deepEqual(points(null), []);
  });
});
