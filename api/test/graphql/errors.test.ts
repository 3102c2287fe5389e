// Error hygiene (issue 12): bad cursors and out-of-range integers are BAD_USER_INPUT, not database errors; answers
// carry no stack traces outside development and no server paths; Image.masks is a bounded list.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';

import { withoutServerPaths } from '../../src/graphql/server-paths';
import { ProgressTracker } from '../../src/jobs/progress';
import { startTestApi, type TestApi, type TestUser } from '../support/api';

let api: TestApi;
let admin: TestUser;

before(async () => {
  api = await startTestApi('errors');
  admin = await api.user('ADMIN');
});
after(() => api.close());

function cursor(value: unknown, id: unknown): string {
  return Buffer.from(JSON.stringify([value, id])).toString('base64url');
}

describe('cursors', () => {
  it('a cursor of another list, or a forged one, is BAD_USER_INPUT before the database sees it', async () => {
    const users = await api.ok<{ users: { pageInfo: { endCursor: string } } }>(
      '{ users(first: 1) { pageInfo { endCursor } } }',
      {},
      { cookie: admin.cookie },
    );
    const foreign = users.users.pageInfo.endCursor; // an e-mail address where runs and datasets keep a date
    for (const after of [foreign, cursor(0.5, randomUUID()), cursor('2026-01-01T00:00:00.000Z', 'not-an-id'), 'x']) {
      for (const list of [
        'runs(first: 5, after: $after)',
        'datasets(first: 5, after: $after, orderBy: CREATED_AT_DESC)',
      ]) {
        const answer = await api.gql(
          `query($after: String) { ${list} { totalCount } }`,
          { after },
          { cookie: admin.cookie },
        );
        assert.equal(answer.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT', `${list} after ${after}`);
        assert.equal(answer.errors?.[0]?.message, 'after is not a cursor from this list');
        assert.equal(answer.errors?.[0]?.extensions?.field, 'after');
      }
    }
  });
});

describe('integer arguments', () => {
  it('the largest Int is BAD_USER_INPUT wherever an Int is taken', async () => {
    const max = 2 ** 31 - 1;
    const save = await api.gql(
      'mutation($v: Int!) { saveMask(imageId: "00000000-0000-4000-8000-000000000000", pngBase64: "", baseVersion: $v) { id } }',
      { v: max },
      { cookie: admin.cookie },
    );
    assert.equal(save.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
    assert.equal(save.errors?.[0]?.extensions?.field, 'baseVersion');
    const page = await api.gql(
      'query($n: Int!) { users(first: $n) { totalCount } }',
      { n: max },
      { cookie: admin.cookie },
    );
    assert.equal(page.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
    const dataset = await api.prisma.dataset.create({
      data: { name: `ints-${randomUUID()}`, layout: 'EMPTY', category: 'test', channels: 1 },
    });
    for (const field of ['batchSize', 'epochs', 'imageSize', 'patience']) {
      for (const value of [max, -max - 1]) {
        const run = await api.gql(
          'mutation($input: StartRunInput!) { startRun(input: $input) { id } }',
          { input: { datasetId: dataset.id, [field]: value } },
          { cookie: admin.cookie },
        );
        assert.equal(run.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT', `${field} ${value}`);
        assert.match(run.errors?.[0]?.message ?? '', new RegExp(`^${field} must not be`));
      }
    }
  });

  it('an Int over 32 bits is a 400 BAD_USER_INPUT naming the variable', async () => {
    const answer = await api.gql(
      'query($n: Int!) { users(first: $n) { totalCount } }',
      { n: 2 ** 31 },
      { cookie: admin.cookie },
    );
    assert.equal(answer.status, 400);
    assert.equal(answer.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
    assert.match(answer.errors?.[0]?.message ?? '', /\$n/);
  });
});

describe('Image.masks', () => {
  it('answers the latest versions, 50 unless `first` says, at most 200', async () => {
    const dataset = await api.prisma.dataset.create({
      data: { name: `masks-${randomUUID()}`, layout: 'EMPTY', category: 'test', channels: 1 },
    });
    const image = await api.prisma.image.create({
      data: {
        datasetId: dataset.id,
        name: 'a.png',
        split: 'TEST',
        label: 'ANOMALOUS',
        defectType: 'crack',
        width: 8,
        height: 8,
        channels: 1,
        contentHash: 'x',
        mimeType: 'image/png',
        byteSize: 1,
        maskVersion: 3,
      },
    });
    for (const version of [1, 2, 3]) {
      await api.prisma.mask.create({
        data: {
          imageId: image.id,
          datasetId: dataset.id,
          version,
          source: 'ANNOTATED',
          status: 'DRAFT',
          contentHash: 'y',
          width: 8,
          height: 8,
          defectPixels: 0,
        },
      });
    }
    const query = 'query($id: ID!, $first: Int!) { image(id: $id) { masks(first: $first) { version } } }';
    type Masks = { image: { masks: { version: number }[] } };
    const two = await api.ok<Masks>(query, { id: image.id, first: 2 }, { cookie: admin.cookie });
    assert.deepEqual(
      two.image.masks.map((mask) => mask.version),
      [3, 2],
    );
    const all = await api.ok<Masks>(
      'query($id: ID!) { image(id: $id) { masks { version } } }',
      { id: image.id },
      { cookie: admin.cookie },
    );
    assert.deepEqual(
      all.image.masks.map((mask) => mask.version),
      [3, 2, 1],
    );
    for (const first of [0, 201]) {
      const refused = await api.gql(query, { id: image.id, first }, { cookie: admin.cookie });
      assert.equal(refused.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
      assert.equal(refused.errors?.[0]?.message, `first must be between 1 and 200, got ${first}`);
    }
  });
});

describe('no stack traces or server paths outside development', () => {
  it('answers carry no stack trace', async () => {
    for (const query of ['{ me {', '{ me { nope } }', '{ users(first: 0) { totalCount } }']) {
      const answer = await api.gql(query, {}, { cookie: admin.cookie });
      assert.ok(answer.errors?.length, query);
      for (const error of answer.errors!) assert.equal(error.extensions?.stacktrace, undefined, query);
    }
  });

  it('server paths are cut to their last segment', () => {
    assert.equal(
      withoutServerPaths("ENOENT: no such file or directory, open '/srv/vad/.data/files/objects/ab12'"),
      "ENOENT: no such file or directory, open '…/ab12'",
    );
    assert.equal(withoutServerPaths('at run (C:\\vad\\api\\src\\run.ts:12:5)'), 'at run (…/run.ts:12:5)');
    assert.equal(withoutServerPaths('a ratio of 1/2 and http://host/a/b'), 'a ratio of 1/2 and http://host/a/b');
  });

  it("a run's phase shows no server path", () => {
    const tracker = new ProgressTracker({ lossHistory: [], totalEpochs: 0 });
    tracker.apply({ type: 'stage', stage: 'report', message: 'writing the report to /srv/vad/.data/runs/3f2a' });
    assert.equal(tracker.fields.phase, 'writing the report to …/3f2a');
  });
});
