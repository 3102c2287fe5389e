// Annotator assignments: admins assign chosen images or a whole defect type to an annotator, the images list
// filters by assignee, and the annotator's queue holds their images until a mask is submitted or approved.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { startTestApi, type TestApi, type TestUser } from '../support/api';
import { makeMvtecFolder, maskPng } from '../support/fixtures';

let api: TestApi;
let admin: TestUser;
let annotator: TestUser;
let other: TestUser;
let viewer: TestUser;
let datasetId: string;
let otherDatasetId: string;
const ids: Record<string, string> = {};
const scratch = mkdtempSync(path.join(os.tmpdir(), 'vad-assignments-'));

const ASSIGN = `mutation($d: ID!, $u: ID!, $i: [ID!], $t: String) {
  assignImages(datasetId: $d, userId: $u, imageIds: $i, defectType: $t)
}`;
const UNASSIGN = `mutation($d: ID!, $i: [ID!], $t: String) { unassignImages(datasetId: $d, imageIds: $i, defectType: $t) }`;
const QUEUE = `query($d: ID) { myAssignments(first: 50, datasetId: $d) { totalCount edges { node { name assignee { email } } } } }`;
const SAVE = `mutation($i: ID!, $p: String!, $b: Int!, $s: Boolean) {
  saveMask(imageId: $i, pngBase64: $p, baseVersion: $b, submit: $s) { id version }
}`;

async function importDataset(name: string, shape: Parameters<typeof makeMvtecFolder>[1]): Promise<string> {
  const folder = await makeMvtecFolder(path.join(scratch, name), shape);
  const answer = await api.ok<{ importDataset: { id: string } }>(
    'mutation($p: String!, $n: String!) { importDataset(input: { path: $p, name: $n }) { id } }',
    { p: folder, n: name },
    { cookie: admin.cookie },
  );
  return answer.importDataset.id;
}

async function queueOf(user: TestUser, dataset: string | null = null): Promise<string[]> {
  const answer = await api.ok<{ myAssignments: { totalCount: number; edges: { node: { name: string } }[] } }>(
    QUEUE,
    { d: dataset },
    { cookie: user.cookie },
  );
  assert.equal(answer.myAssignments.totalCount, answer.myAssignments.edges.length);
  return answer.myAssignments.edges.map((edge) => edge.node.name);
}

before(async () => {
  api = await startTestApi('assignments');
  admin = await api.user('ADMIN');
  annotator = await api.user('ANNOTATOR');
  other = await api.user('ANNOTATOR');
  viewer = await api.user('VIEWER');
  datasetId = await importDataset('assigned', { train: 1, testGood: 2, defects: { crack: 2, hole: 1 } });
  otherDatasetId = await importDataset('elsewhere', { train: 1, testGood: 1, defects: { crack: 1 } });
  for (const image of await api.prisma.image.findMany({ where: { datasetId } })) ids[image.name] = image.id;
  ids.elsewhere = (await api.prisma.image.findFirstOrThrow({ where: { datasetId: otherDatasetId } })).id;
});
after(async () => {
  await api.close();
  rmSync(scratch, { recursive: true, force: true });
});

describe('assignImages', () => {
  it('assigns chosen images; Image.assignee and the assignee filters show them', async () => {
    const answer = await api.ok<{ assignImages: number }>(
      ASSIGN,
      { d: datasetId, u: annotator.id, i: [ids['test/good/000'], ids['test/good/001'], ids['test/good/000']] },
      { cookie: admin.cookie },
    );
    assert.equal(answer.assignImages, 2, 'a repeated id counts once');
    const image = await api.ok<{ image: { assignee: { email: string } } }>(
      'query($id: ID!) { image(id: $id) { assignee { email } } }',
      { id: ids['test/good/001'] },
      { cookie: viewer.cookie },
    );
    assert.equal(image.image.assignee.email, annotator.email);
    const lists = await api.ok<{
      dataset: { mine: { edges: { node: { name: string } }[] }; open: { totalCount: number } };
    }>(
      `query($d: ID!, $u: ID!) { dataset(id: $d) {
        mine: images(first: 20, filter: { assigneeId: $u }) { edges { node { name } } }
        open: images(first: 20, filter: { assigned: false }) { totalCount }
      } }`,
      { d: datasetId, u: annotator.id },
      { cookie: viewer.cookie },
    );
    assert.deepEqual(
      lists.dataset.mine.edges.map((edge) => edge.node.name),
      ['test/good/000', 'test/good/001'],
    );
    assert.equal(lists.dataset.open.totalCount, 4, 'one training image, three defective ones');
  });

  it('assigns a whole defect type, and a later assignment replaces the assignee', async () => {
    const crack = await api.ok<{ assignImages: number }>(
      ASSIGN,
      { d: datasetId, u: other.id, t: 'crack' },
      { cookie: admin.cookie },
    );
    assert.equal(crack.assignImages, 2);
    await api.ok(ASSIGN, { d: datasetId, u: annotator.id, i: [ids['test/crack/001']] }, { cookie: admin.cookie });
    const rows = await api.prisma.imageAssignment.findMany({ where: { datasetId }, include: { user: true } });
    const byName = Object.fromEntries(
      rows.map((row) => [Object.entries(ids).find(([, id]) => id === row.imageId)![0], row.user.email]),
    );
    assert.deepEqual(byName, {
      'test/good/000': annotator.email,
      'test/good/001': annotator.email,
      'test/crack/000': other.email,
      'test/crack/001': annotator.email,
    });
    assert.ok(rows.every((row) => row.assignedById === admin.id));
  });

  it('refuses viewers, disabled users, images of another dataset and unclear choices, assigning nothing', async () => {
    const before = await api.prisma.imageAssignment.count();
    const refusals: [Record<string, unknown>, string, string | undefined, RegExp][] = [
      [{ d: datasetId, u: viewer.id, i: [ids['test/hole/000']] }, 'BAD_USER_INPUT', 'userId', /VIEWER/],
      [
        { d: datasetId, u: annotator.id, i: [ids['test/hole/000'], ids.elsewhere] },
        'BAD_USER_INPUT',
        'imageIds',
        /belongs to another dataset/,
      ],
      [
        { d: datasetId, u: annotator.id, i: [ids['test/hole/000']], t: 'hole' },
        'BAD_USER_INPUT',
        'imageIds',
        /either imageIds or defectType/,
      ],
      [{ d: datasetId, u: annotator.id }, 'BAD_USER_INPUT', 'imageIds', /either imageIds or defectType/],
      [{ d: datasetId, u: annotator.id, i: [] }, 'BAD_USER_INPUT', 'imageIds', /empty/],
      [{ d: datasetId, u: annotator.id, t: 'dent' }, 'BAD_USER_INPUT', 'defectType', /no images of defect type "dent"/],
      [
        { d: datasetId, u: '00000000-0000-4000-8000-000000000000', i: [ids['test/hole/000']] },
        'NOT_FOUND',
        undefined,
        /User/,
      ],
    ];
    for (const [variables, code, field, message] of refusals) {
      const answer = await api.gql(ASSIGN, variables, { cookie: admin.cookie });
      const error = answer.errors?.[0];
      assert.equal(error?.extensions?.code, code, JSON.stringify(variables));
      assert.equal(error?.extensions?.field, field, JSON.stringify(variables));
      assert.match(error?.message ?? '', message);
    }
    const disabled = await api.user('ANNOTATOR');
    await api.prisma.user.update({ where: { id: disabled.id }, data: { disabledAt: new Date() } });
    const answer = await api.gql(ASSIGN, { d: datasetId, u: disabled.id, t: 'hole' }, { cookie: admin.cookie });
    assert.equal(answer.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
    assert.match(answer.errors?.[0]?.message ?? '', /is disabled/);
    const byAnnotator = await api.gql(
      ASSIGN,
      { d: datasetId, u: annotator.id, t: 'hole' },
      { cookie: annotator.cookie },
    );
    assert.equal(byAnnotator.errors?.[0]?.extensions?.code, 'FORBIDDEN');
    assert.equal(await api.prisma.imageAssignment.count(), before);
  });
});

describe('myAssignments', () => {
  it("holds the annotator's images until their mask is submitted or approved, and again once rejected", async () => {
    // The crack images came with approved (imported) masks: nothing to do there.
    assert.deepEqual(await queueOf(annotator), ['test/good/000', 'test/good/001']);
    assert.deepEqual(await queueOf(other), []);
    assert.deepEqual(await queueOf(annotator, otherDatasetId), []);
    const png = (await maskPng(32, { x: 10, y: 10, r: 3 })).toString('base64');
    const draft = await api.ok<{ saveMask: { version: number } }>(
      SAVE,
      { i: ids['test/good/000'], p: png, b: 0 },
      { cookie: annotator.cookie },
    );
    assert.deepEqual(await queueOf(annotator), ['test/good/000', 'test/good/001'], 'a draft is still work to do');
    const submitted = await api.ok<{ saveMask: { id: string } }>(
      SAVE,
      { i: ids['test/good/000'], p: png, b: draft.saveMask.version, s: true },
      { cookie: annotator.cookie },
    );
    assert.deepEqual(await queueOf(annotator), ['test/good/001']);
    await api.ok(
      'mutation($id: ID!) { reviewMask(maskId: $id, decision: REJECT, comment: "too small") { id } }',
      { id: submitted.saveMask.id },
      { cookie: admin.cookie },
    );
    assert.deepEqual(await queueOf(annotator), ['test/good/000', 'test/good/001'], 'a rejected mask comes back');
  });

  it('unassignImages empties the queue and says how many images had an assignee', async () => {
    const answer = await api.ok<{ unassignImages: number }>(
      UNASSIGN,
      { d: datasetId, i: [ids['test/good/000'], ids['test/good/001'], ids['test/hole/000']] },
      { cookie: admin.cookie },
    );
    assert.equal(answer.unassignImages, 2);
    assert.deepEqual(await queueOf(annotator), []);
    const crack = await api.ok<{ unassignImages: number }>(
      UNASSIGN,
      { d: datasetId, t: 'crack' },
      { cookie: admin.cookie },
    );
    assert.equal(crack.unassignImages, 2);
    assert.equal(await api.prisma.imageAssignment.count(), 0);
  });
});
