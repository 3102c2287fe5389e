// The review inbox: submitted masks waiting for review, oldest or newest first, paged; the next mask after the
// one just reviewed; and no reviewing one's own mask unless the workspace setting allows it.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { startTestApi, type TestApi, type TestUser } from '../support/api';
import { makeMvtecFolder, maskPng } from '../support/fixtures';

let api: TestApi;
let admin: TestUser;
let secondAdmin: TestUser;
let annotator: TestUser;
let datasetId: string;
const images: Record<string, string> = {};
/** Mask ids by the name of their image, in the order they were submitted. */
const submitted: Record<string, string> = {};
const scratch = mkdtempSync(path.join(os.tmpdir(), 'vad-review-'));

const SAVE = `mutation($i: ID!, $p: String!, $b: Int!) {
  saveMask(imageId: $i, pngBase64: $p, baseVersion: $b, submit: true) { id }
}`;
const QUEUE = `query($first: Int, $after: String, $last: Int, $order: ReviewOrder, $d: ID) {
  reviewQueue(first: $first, after: $after, last: $last, orderBy: $order, datasetId: $d) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { id status author { email } image { name dataset { name } } } }
  }
}`;
const NEXT = `query($after: ID, $order: ReviewOrder) { nextMaskForReview(after: $after, orderBy: $order) { id } }`;
const REVIEW = `mutation($id: ID!, $decision: ReviewDecision!) { reviewMask(maskId: $id, decision: $decision) { status } }`;
const SETTINGS = `mutation($allow: Boolean) { updateWorkspaceSettings(allowSelfReview: $allow) { allowSelfReview } }`;

interface Queue {
  reviewQueue: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: { node: { id: string; status: string; author: { email: string }; image: { name: string } } }[];
  };
}

async function submit(name: string, user: TestUser): Promise<string> {
  const image = await api.prisma.image.findUniqueOrThrow({ where: { id: images[name] } });
  const png = (await maskPng(32, { x: 12, y: 12, r: 3 })).toString('base64');
  const saved = await api.ok<{ saveMask: { id: string } }>(
    SAVE,
    { i: image.id, p: png, b: image.maskVersion },
    { cookie: user.cookie },
  );
  submitted[name] = saved.saveMask.id;
  // Submission times must differ for the order to be checked: timestamps have millisecond precision.
  await new Promise((resolve) => setTimeout(resolve, 5));
  return saved.saveMask.id;
}

async function queue(user: TestUser, variables: Record<string, unknown> = {}): Promise<Queue['reviewQueue']> {
  return (await api.ok<Queue>(QUEUE, { first: 20, ...variables }, { cookie: user.cookie })).reviewQueue;
}

const names = (page: Queue['reviewQueue']) => page.edges.map((edge) => edge.node.image.name);

before(async () => {
  api = await startTestApi('review');
  admin = await api.user('ADMIN');
  secondAdmin = await api.user('ADMIN');
  annotator = await api.user('ANNOTATOR');
  const folder = await makeMvtecFolder(path.join(scratch, 'data'), { train: 1, testGood: 4, defects: { crack: 1 } });
  datasetId = (
    await api.ok<{ importDataset: { id: string } }>(
      'mutation($p: String!) { importDataset(input: { path: $p, name: "review" }) { id } }',
      { p: folder },
      { cookie: admin.cookie },
    )
  ).importDataset.id;
  for (const image of await api.prisma.image.findMany({ where: { datasetId } })) images[image.name] = image.id;
  await submit('test/good/000', annotator);
  await submit('test/good/001', annotator);
  await submit('test/good/002', annotator);
  await submit('test/good/003', admin);
});
after(async () => {
  await api.close();
  rmSync(scratch, { recursive: true, force: true });
});

describe('reviewQueue', () => {
  it("lists submitted masks oldest or newest first, paged, leaving the reviewer's own out", async () => {
    const oldest = await queue(admin);
    assert.deepEqual(names(oldest), ['test/good/000', 'test/good/001', 'test/good/002']);
    assert.equal(oldest.totalCount, 3, 'the count shown in the navigation');
    assert.ok(oldest.edges.every((edge) => edge.node.status === 'SUBMITTED'));
    assert.equal(oldest.edges[0]!.node.author.email, annotator.email);
    assert.deepEqual(names(await queue(admin, { order: 'NEWEST_FIRST' })), [
      'test/good/002',
      'test/good/001',
      'test/good/000',
    ]);
    const first = await queue(admin, { first: 2 });
    assert.deepEqual(names(first), ['test/good/000', 'test/good/001']);
    assert.equal(first.pageInfo.hasNextPage, true);
    const second = await queue(admin, { first: 2, after: first.pageInfo.endCursor });
    assert.deepEqual(names(second), ['test/good/002']);
    assert.equal(second.pageInfo.hasNextPage, false);
    const last = await queue(admin, { first: null, last: 2 });
    assert.deepEqual(names(last), ['test/good/001', 'test/good/002'], 'backward pages keep the order');
    // Another reviewer sees the admin's mask too.
    assert.deepEqual(names(await queue(secondAdmin)), [
      'test/good/000',
      'test/good/001',
      'test/good/002',
      'test/good/003',
    ]);
    assert.equal((await queue(admin, { d: '00000000-0000-4000-8000-000000000000' })).totalCount, 0);
  });

  it('shows only the latest version of an image, and annotators cannot read it', async () => {
    const superseded = submitted['test/good/001']!;
    const latest = await submit('test/good/001', annotator);
    const page = await queue(admin);
    assert.deepEqual(names(page), ['test/good/000', 'test/good/002', 'test/good/001']);
    assert.ok(!page.edges.some((edge) => edge.node.id === superseded));
    assert.equal(page.edges[2]!.node.id, latest);
    const refused = await api.gql(QUEUE, { first: 1 }, { cookie: annotator.cookie });
    assert.equal(refused.errors?.[0]?.extensions?.code, 'FORBIDDEN');
  });
});

describe('nextMaskForReview', () => {
  it("answers the mask after the one just reviewed in the queue's order, wrapping round", async () => {
    const next = async (after: string | null, order = 'OLDEST_FIRST') =>
      (await api.ok<{ nextMaskForReview: { id: string } | null }>(NEXT, { after, order }, { cookie: admin.cookie }))
        .nextMaskForReview?.id ?? null;
    assert.equal(await next(null), submitted['test/good/000']);
    await api.ok(REVIEW, { id: submitted['test/good/000'], decision: 'APPROVE' }, { cookie: admin.cookie });
    assert.equal(await next(submitted['test/good/000']!), submitted['test/good/002'], 'the reviewed one has left');
    assert.equal(await next(submitted['test/good/002']!), submitted['test/good/001']);
    assert.equal(await next(submitted['test/good/001']!), submitted['test/good/002'], 'wraps to the start');
    assert.equal(await next(submitted['test/good/002']!, 'NEWEST_FIRST'), submitted['test/good/001']);
    await api.ok(REVIEW, { id: submitted['test/good/002'], decision: 'REJECT' }, { cookie: admin.cookie });
    assert.equal(await next(submitted['test/good/001']!), null, 'nothing else waits');
    const missing = await api.gql(NEXT, { after: '00000000-0000-4000-8000-000000000000' }, { cookie: admin.cookie });
    assert.equal(missing.errors?.[0]?.extensions?.code, 'NOT_FOUND');
  });
});

describe('self-review', () => {
  it('is refused with SELF_REVIEW_FORBIDDEN until an admin allows it in the workspace settings', async () => {
    const own = submitted['test/good/003']!;
    for (const decision of ['APPROVE', 'REJECT']) {
      const refused = await api.gql(REVIEW, { id: own, decision }, { cookie: admin.cookie });
      assert.equal(refused.errors?.[0]?.extensions?.code, 'SELF_REVIEW_FORBIDDEN', decision);
      assert.match(refused.errors?.[0]?.message ?? '', /your own/);
    }
    const settings = await api.ok<{ workspaceSettings: { allowSelfReview: boolean } }>(
      '{ workspaceSettings { allowSelfReview } }',
      {},
      { cookie: annotator.cookie },
    );
    assert.deepEqual(settings.workspaceSettings, { allowSelfReview: false });
    const byAnnotator = await api.gql(SETTINGS, { allow: true }, { cookie: annotator.cookie });
    assert.equal(byAnnotator.errors?.[0]?.extensions?.code, 'FORBIDDEN');

    const allowed = await api.ok<{ updateWorkspaceSettings: { allowSelfReview: boolean } }>(
      SETTINGS,
      { allow: true },
      { cookie: admin.cookie },
    );
    assert.equal(allowed.updateWorkspaceSettings.allowSelfReview, true);
    const unchanged = await api.ok<{ updateWorkspaceSettings: { allowSelfReview: boolean } }>(
      SETTINGS,
      {},
      { cookie: admin.cookie },
    );
    assert.equal(unchanged.updateWorkspaceSettings.allowSelfReview, true, 'a setting left out keeps its value');
    assert.ok(names(await queue(admin)).includes('test/good/003'), 'the own mask joins the queue');
    const approved = await api.ok<{ reviewMask: { status: string } }>(
      REVIEW,
      { id: own, decision: 'APPROVE' },
      { cookie: admin.cookie },
    );
    assert.equal(approved.reviewMask.status, 'APPROVED');
    await api.ok(SETTINGS, { allow: false }, { cookie: admin.cookie });
  });
});
