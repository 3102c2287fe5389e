import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  normalizedScore,
  parseThreshold,
  runOutcomes,
  scoreRange,
  setRunThreshold,
  shareOfRange,
  whyNoDecision,
  type Decision,
  type RunDecisionView,
} from '../../../lib/domain/decisions';
import { ApiError, type GraphqlClient } from '../../../lib/graphql/client';

const decision: Decision = {
  threshold: 3,
  source: 'EVALUATION',
  evaluatedThreshold: 3,
  scoreMin: 1,
  scoreMax: 5,
};

/** A run page's decision view, with a decision unless `patch` takes it away. */
function view(patch: Partial<RunDecisionView> = {}): RunDecisionView {
  return {
    id: 'run',
    status: 'SUCCEEDED',
    resultCount: 10,
    decision,
    highest: { edges: [{ node: { score: 5 } }] },
    lowest: { edges: [{ node: { score: 1 } }] },
    evaluations: [{ id: 'e1', status: 'SUCCEEDED' }],
    latestEvaluation: { id: 'e1', createdAt: '2026-12-01T00:00:00Z', images: { normal: 4, anomalous: 6 } },
    ...patch,
  };
}

/** A client that answers every request with `answer` and remembers the variables it was given. */
function answering(answer: unknown) {
  const asked: unknown[] = [];
  const client = {
    request: async (_document: unknown, variables: unknown) => {
      asked.push(variables);
      return answer;
    },
  } as unknown as GraphqlClient;
  return { client, asked };
}

describe('normalised scores', () => {
  it("put the threshold at 0.5 and span the run's range, as the API's normalizedScore does", () => {
    assert.equal(normalizedScore(3, decision), 0.5);
    assert.equal(normalizedScore(4, decision), 0.75);
    assert.equal(normalizedScore(1, decision), 0, 'the lowest score, two below the threshold on a span of 4');
    assert.equal(normalizedScore(5, { ...decision, threshold: 2 }), 1, 'clamped at 1');
    assert.equal(normalizedScore(-10, decision), 0, 'clamped at 0');
  });

  it('are 0 or 1 when every score of the run is the same', () => {
    const flat = { threshold: 2, scoreMin: 2, scoreMax: 2 };
    assert.equal(normalizedScore(2, flat), 1);
    assert.equal(normalizedScore(1.9, flat), 0);
  });
});

describe("a threshold's range", () => {
  it("is the decision's, else the run's lowest and highest result, else none", () => {
    assert.deepEqual(scoreRange(view()), { min: 1, max: 5 });
    assert.deepEqual(
      scoreRange(view({ decision: null, lowest: { edges: [{ node: { score: 0.5 } }] } })),
      { min: 0.5, max: 5 },
      'a run without a decision can still get a threshold by hand',
    );
    assert.equal(scoreRange(view({ decision: null, highest: { edges: [] }, lowest: { edges: [] } })), null);
  });

  it('places a value in it', () => {
    assert.equal(shareOfRange({ min: 1, max: 5 }, 2), 0.25);
    assert.equal(shareOfRange({ min: 1, max: 5 }, 9), 1);
    assert.equal(shareOfRange({ min: 1, max: 1 }, 1), 0);
  });
});

describe('why a run has no decision', () => {
  it('is nothing to say when it has one', () => {
    assert.equal(whyNoDecision(view()), null);
  });

  it('names what is missing: results, an evaluation, or normal or anomalous test images', () => {
    const none = { decision: null };
    assert.match(
      whyNoDecision(view({ ...none, status: 'RUNNING', resultCount: 0, latestEvaluation: null }))!,
      /not scored its test images yet/,
    );
    assert.match(
      whyNoDecision(view({ ...none, status: 'FAILED', resultCount: 0, latestEvaluation: null }))!,
      /no results/,
    );
    assert.match(
      whyNoDecision(view({ ...none, latestEvaluation: null, evaluations: [{ id: 'e', status: 'RUNNING' }] }))!,
      /evaluation is still running/,
    );
    assert.match(
      whyNoDecision(view({ ...none, latestEvaluation: null, evaluations: [{ id: 'e', status: 'FAILED' }] }))!,
      /No evaluation of the run has succeeded/,
    );
    const onlyNormal = view({
      ...none,
      latestEvaluation: { id: 'e', createdAt: '2026-12-01T00:00:00Z', images: { normal: 10, anomalous: 0 } },
    });
    assert.match(whyNoDecision(onlyNormal)!, /no anomalous test images.*label some test images anomalous/);
    const onlyAnomalous = view({
      ...none,
      latestEvaluation: { id: 'e', createdAt: '2026-12-01T00:00:00Z', images: { normal: 0, anomalous: 3 } },
    });
    assert.match(whyNoDecision(onlyAnomalous)!, /no normal test images/);
    assert.match(whyNoDecision(view(none))!, /before thresholds were kept: evaluate the run again/);
  });
});

describe('a threshold typed by an admin', () => {
  it('is an image score in any notation', () => {
    assert.equal(parseThreshold(' 7.013e-5 '), 7.013e-5);
    assert.equal(parseThreshold('-0.25'), -0.25);
    assert.equal(parseThreshold(String(0.1 + 0.2)), 0.1 + 0.2, 'the full precision survives the round trip');
  });

  it('is refused, saying why, when empty or not a finite number', () => {
    assert.match((parseThreshold('') as { error: string }).error, /Type an image score/);
    assert.match((parseThreshold('abc') as { error: string }).error, /"abc" is not a number/);
    assert.match((parseThreshold('Infinity') as { error: string }).error, /is not a number/);
  });

  it('is sent to setRunThreshold, and null returns to the evaluation', async () => {
    const { client, asked } = answering({ setRunThreshold: { id: 'run', decision: { ...decision, threshold: 2 } } });
    assert.equal((await setRunThreshold(client, 'run', 2))?.threshold, 2);
    await setRunThreshold(client, 'run', null);
    assert.deepEqual(asked, [
      { runId: 'run', threshold: 2 },
      { runId: 'run', threshold: null },
    ]);
    await assert.rejects(setRunThreshold(client, 'run', Number.NaN), (error: unknown) => {
      return error instanceof ApiError && error.code === 'BAD_USER_INPUT';
    });
    assert.equal(asked.length, 2, 'a NaN never reaches the API');
  });
});

describe("a run's outcomes", () => {
  it('count the anomalous verdicts, false positives and false negatives', async () => {
    const { client } = answering({
      run: {
        id: 'run',
        resultCount: 10,
        anomalous: { totalCount: 6 },
        falsePositives: { totalCount: 1 },
        falseNegatives: { totalCount: 2 },
      },
    });
    assert.deepEqual(await runOutcomes(client, 'run'), {
      total: 10,
      anomalous: 6,
      falsePositives: 1,
      falseNegatives: 2,
    });
  });

  it('are NOT_FOUND for a run that does not exist', async () => {
    await assert.rejects(runOutcomes(answering({ run: null }).client, 'gone'), (error: unknown) => {
      return error instanceof ApiError && error.code === 'NOT_FOUND';
    });
  });
});
