// A run's decision: its latest evaluation's image F1-max threshold unless an admin sets one, verdicts and
// normalised scores that follow it, and result filters by verdict (false positives: label NORMAL, verdict ANOMALOUS).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { seedResults, type Seeded } from '../../bench/seed';
import { startTestApi, type TestApi, type TestUser } from '../support/api';

interface Row {
  score: number;
  normalizedScore: number | null;
  verdict: string | null;
  image: { label: string };
}
interface Decision {
  threshold: number;
  source: string;
  evaluatedThreshold: number | null;
  scoreMin: number;
  scoreMax: number;
}

let api: TestApi;
let seeded: Seeded;
let admin: TestUser;
let viewer: TestUser;
let runId: string;

async function read(filter: object | null = null): Promise<{ decision: Decision | null; rows: Row[]; total: number }> {
  const data = await api.ok<{
    run: { decision: Decision | null; results: { totalCount: number; edges: { node: Row }[] } };
  }>(
    `query($id: ID!, $filter: ResultFilter) { run(id: $id) {
       decision { threshold source evaluatedThreshold scoreMin scoreMax }
       results(first: 100, filter: $filter) { totalCount edges { node { score normalizedScore verdict image { label } } } }
     } }`,
    { id: runId, filter },
    { cookie: viewer.cookie },
  );
  return {
    decision: data.run.decision,
    rows: data.run.results.edges.map((e) => e.node),
    total: data.run.results.totalCount,
  };
}

async function evaluateWith(imageThreshold: number, at: Date): Promise<void> {
  await api.prisma.evaluation.create({
    data: {
      runId,
      status: 'SUCCEEDED',
      createdAt: at,
      finishedAt: at,
      metrics: { maps: { attention: { overall: { imageThreshold }, perDefect: {} } } },
    },
  });
}

before(async () => {
  api = await startTestApi('decision');
  seeded = await seedResults(api.databaseUrl, { images: 20, runs: 1, anomalousEvery: 3 }, 'decision');
  runId = seeded.runIds[0]!;
  admin = await api.user('ADMIN');
  viewer = await api.user('VIEWER');
});
after(() => api.close());

describe("a run's decision", () => {
  it('is null, and so are verdicts, before an evaluation or a threshold; a verdict filter is refused', async () => {
    const { decision, rows } = await read();
    assert.equal(decision, null);
    assert.ok(rows.every((row) => row.verdict === null && row.normalizedScore === null));
    const refused = await api.gql(
      'query($id: ID!) { run(id: $id) { results(first: 5, filter: { verdict: ANOMALOUS }) { totalCount } } }',
      { id: runId },
      { cookie: viewer.cookie },
    );
    assert.equal(refused.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
    assert.match(refused.errors![0]!.message, /needs a threshold/);
  });

  it("follows the latest evaluation's image threshold: 0.5 lands on it and the run's range spans 1", async () => {
    const scores = (await read()).rows.map((row) => row.score).sort((a, b) => a - b);
    const median = scores[10]!;
    await evaluateWith(scores[2]!, new Date(Date.now() - 60_000));
    await evaluateWith(median, new Date());
    const { decision, rows } = await read();
    // The stored JSON may hand the threshold back a rounding step off; the decision's is the result's own score.
    const { evaluatedThreshold, ...rest } = decision!;
    assert.ok(Math.abs(evaluatedThreshold! - median) < 1e-12, `${evaluatedThreshold} vs ${median}`);
    assert.deepEqual(rest, { threshold: median, source: 'EVALUATION', scoreMin: scores[0], scoreMax: scores.at(-1) });
    const span = scores.at(-1)! - scores[0]!;
    for (const row of rows) {
      assert.equal(row.verdict, row.score >= median ? 'ANOMALOUS' : 'NORMAL');
      const expected = Math.min(1, Math.max(0, 0.5 + (row.score - median) / span));
      assert.ok(Math.abs(row.normalizedScore! - expected) < 1e-9, `${row.normalizedScore} vs ${expected}`);
    }
    assert.equal(rows.find((row) => row.score === median)!.normalizedScore, 0.5);
  });

  it('filters by verdict, alone and with a label (false positives, false negatives), with matching counts', async () => {
    const all = (await read()).rows;
    const threshold = (await read()).decision!.threshold;
    const cases: [object, (row: Row) => boolean][] = [
      [{ verdict: 'ANOMALOUS' }, (row) => row.score >= threshold],
      [{ verdict: 'NORMAL' }, (row) => row.score < threshold],
      [{ verdict: 'ANOMALOUS', label: 'NORMAL' }, (row) => row.score >= threshold && row.image.label === 'NORMAL'],
      [{ verdict: 'NORMAL', label: 'ANOMALOUS' }, (row) => row.score < threshold && row.image.label === 'ANOMALOUS'],
    ];
    for (const [filter, keep] of cases) {
      const { rows, total } = await read(filter);
      const expected = all.filter(keep).map((row) => row.score);
      assert.deepEqual(
        rows.map((row) => row.score),
        expected,
        JSON.stringify(filter),
      );
      assert.equal(total, expected.length, JSON.stringify(filter));
    }
  });

  it('setRunThreshold overrides it (admins only), and null returns to the evaluation', async () => {
    const mutation = 'mutation($id: ID!, $t: Float) { setRunThreshold(runId: $id, threshold: $t) { id } }';
    const denied = await api.gql(mutation, { id: runId, t: 0.9 }, { cookie: viewer.cookie });
    assert.equal(denied.errors?.[0]?.extensions?.code, 'FORBIDDEN');
    await api.ok(mutation, { id: runId, t: 0.9 }, { cookie: admin.cookie });
    const manual = await read();
    assert.equal(manual.decision!.source, 'MANUAL');
    assert.equal(manual.decision!.threshold, 0.9);
    assert.ok(manual.rows.every((row) => row.verdict === (row.score >= 0.9 ? 'ANOMALOUS' : 'NORMAL')));
    await api.ok(mutation, { id: runId, t: null }, { cookie: admin.cookie });
    assert.equal((await read()).decision!.source, 'EVALUATION');
    const missing = await api.gql(
      mutation,
      { id: '00000000-0000-4000-8000-000000000000', t: 1 },
      { cookie: admin.cookie },
    );
    assert.equal(missing.errors?.[0]?.extensions?.code, 'NOT_FOUND');
  });
});
