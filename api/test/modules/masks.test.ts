// Masks: append-only versions, the stale-base CONFLICT that loses nothing, review, who may do what, bad
// PNGs, and the maskChanged subscription.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import sharp from 'sharp';

import { startTestApi, type TestApi, type TestUser } from '../support/api';
import { makeMvtecFolder, maskPng } from '../support/fixtures';
import { subscribe } from '../support/subscriptions';

let api: TestApi;
let admin: TestUser;
let annotator: TestUser;
let viewer: TestUser;
let datasetId: string;
let normalImageId: string;
let crackImageId: string;
const scratch = mkdtempSync(path.join(os.tmpdir(), 'vad-masks-'));

const SAVE = `mutation($imageId: ID!, $png: String!, $base: Int!, $submit: Boolean) {
  saveMask(imageId: $imageId, pngBase64: $png, baseVersion: $base, submit: $submit) {
    id version status source defectPixels author { email } image { maskVersion }
  }
}`;
const REVIEW = `mutation($id: ID!, $decision: ReviewDecision!, $comment: String) {
  reviewMask(maskId: $id, decision: $decision, comment: $comment) { id version status reviews { decision comment reviewer { email } } }
}`;

interface Saved {
  saveMask: {
    id: string;
    version: number;
    status: string;
    source: string;
    defectPixels: number;
    author: { email: string };
    image: { maskVersion: number };
  };
}

before(async () => {
  api = await startTestApi('masks');
  admin = await api.user('ADMIN');
  annotator = await api.user('ANNOTATOR');
  viewer = await api.user('VIEWER');
  const folder = await makeMvtecFolder(path.join(scratch, 'data'), { train: 2, testGood: 1, defects: { crack: 1 } });
  const imported = await api.ok<{ importDataset: { id: string } }>(
    'mutation($p: String!) { importDataset(input: { path: $p, name: "masks" }) { id } }',
    { p: folder },
    { cookie: admin.cookie },
  );
  datasetId = imported.importDataset.id;
  normalImageId = (await api.prisma.image.findFirstOrThrow({ where: { datasetId, name: 'test/good/000' } })).id;
  crackImageId = (await api.prisma.image.findFirstOrThrow({ where: { datasetId, name: 'test/crack/000' } })).id;
});
after(async () => {
  await api.close();
  rmSync(scratch, { recursive: true, force: true });
});

async function drawn(spot = { x: 10, y: 12, r: 4 }): Promise<string> {
  return (await maskPng(32, spot)).toString('base64');
}

describe('saveMask', () => {
  it('adds version after version; earlier versions stay as they were', async () => {
    const first = await api.ok<Saved>(
      SAVE,
      { imageId: normalImageId, png: await drawn(), base: 0 },
      { cookie: annotator.cookie },
    );
    assert.equal(first.saveMask.version, 1);
    assert.equal(first.saveMask.status, 'DRAFT');
    assert.equal(first.saveMask.source, 'ANNOTATED');
    assert.equal(first.saveMask.author.email, annotator.email);
    assert.equal(first.saveMask.defectPixels, 49);
    const second = await api.ok<Saved>(
      SAVE,
      {
        imageId: normalImageId,
        png: `data:image/png;base64,${await drawn({ x: 20, y: 20, r: 2 })}`,
        base: 1,
        submit: true,
      },
      { cookie: admin.cookie },
    );
    assert.equal(second.saveMask.version, 2);
    assert.equal(second.saveMask.status, 'SUBMITTED');
    assert.equal(second.saveMask.image.maskVersion, 2);
    const versions = await api.ok<{
      image: { masks: { version: number; defectPixels: number }[]; currentMask: { id: string } };
    }>(
      'query($id: ID!) { image(id: $id) { masks { version defectPixels } currentMask { id } } }',
      { id: normalImageId },
      { cookie: viewer.cookie },
    );
    assert.deepEqual(versions.image.masks, [
      { version: 2, defectPixels: 13 },
      { version: 1, defectPixels: 49 },
    ]);
    assert.equal(versions.image.currentMask.id, second.saveMask.id);
  });

  it('a stale baseVersion is a CONFLICT that writes nothing and says the current version', async () => {
    const before = await api.prisma.mask.count({ where: { imageId: normalImageId } });
    const stale = await api.gql(
      SAVE,
      { imageId: normalImageId, png: await drawn(), base: 1 },
      { cookie: annotator.cookie },
    );
    assert.equal(stale.errors?.[0]?.extensions?.code, 'CONFLICT');
    assert.equal(stale.errors?.[0]?.extensions?.currentVersion, 2);
    assert.equal(stale.errors?.[0]?.extensions?.baseVersion, 1);
    assert.match(stale.errors?.[0]?.message ?? '', /Nothing was saved/);
    assert.equal(await api.prisma.mask.count({ where: { imageId: normalImageId } }), before);
    const image = await api.prisma.image.findUniqueOrThrow({ where: { id: normalImageId } });
    assert.equal(image.maskVersion, 2);
  });

  it('of two saves from the same version at the same time, exactly one wins', async () => {
    const image = await api.prisma.image.findUniqueOrThrow({ where: { id: crackImageId } });
    const results = await Promise.all(
      [annotator, admin, annotator, admin].map(async (user, i) =>
        api.gql(
          SAVE,
          { imageId: crackImageId, png: await drawn({ x: 8 + i, y: 8, r: 3 }), base: image.maskVersion },
          { cookie: user.cookie },
        ),
      ),
    );
    const won = results.filter((result) => !result.errors);
    const lost = results.filter((result) => result.errors?.[0]?.extensions?.code === 'CONFLICT');
    assert.equal(won.length, 1);
    assert.equal(lost.length, 3);
    const masks = await api.prisma.mask.findMany({ where: { imageId: crackImageId }, orderBy: { version: 'asc' } });
    assert.deepEqual(
      masks.map((mask) => mask.version),
      [1, 2],
    );
    assert.equal(masks[0]!.source, 'IMPORTED', 'the imported mask is untouched');
  });

  it('viewers and READ keys cannot save; anonymous requests are UNAUTHENTICATED', async () => {
    const byViewer = await api.gql(
      SAVE,
      { imageId: normalImageId, png: await drawn(), base: 2 },
      { cookie: viewer.cookie },
    );
    assert.equal(byViewer.errors?.[0]?.extensions?.code, 'FORBIDDEN');
    const key = await api.ok<{ createApiKey: { secret: string } }>(
      'mutation { createApiKey(name: "read", scopes: [READ]) { secret } }',
      {},
      { cookie: annotator.cookie },
    );
    const byKey = await api.gql(
      SAVE,
      { imageId: normalImageId, png: await drawn(), base: 2 },
      { apiKey: key.createApiKey.secret },
    );
    assert.equal(byKey.errors?.[0]?.extensions?.code, 'FORBIDDEN');
    const anonymous = await api.gql(SAVE, { imageId: normalImageId, png: await drawn(), base: 2 });
    assert.equal(anonymous.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
    assert.equal(anonymous.data ?? null, null, 'no data');
  });

  it('refuses masks that are not PNGs, of the wrong size, or not base64, naming the problem', async () => {
    const cases: [string, RegExp][] = [
      [Buffer.from('hello').toString('base64'), /not a PNG image/],
      ['@@@not base64@@@', /not base64/],
      [(await maskPng(16, { x: 4, y: 4, r: 2 })).toString('base64'), /the mask is 16 x 16; the image is 32 x 32/],
      [(await maskPng(32, { x: 4, y: 4, r: 2 })).subarray(0, 60).toString('base64'), /not a readable PNG/],
      [
        (
          await sharp({ create: { width: 32, height: 32, channels: 3, background: '#000' } })
            .jpeg()
            .toBuffer()
        ).toString('base64'),
        /not a PNG image/,
      ],
    ];
    for (const [png, pattern] of cases) {
      const answer = await api.gql(SAVE, { imageId: normalImageId, png, base: 2 }, { cookie: annotator.cookie });
      assert.equal(answer.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT', String(pattern));
      assert.match(answer.errors?.[0]?.message ?? '', pattern);
    }
    const missing = await api.gql(
      SAVE,
      { imageId: '00000000-0000-4000-8000-000000000000', png: await drawn(), base: 0 },
      { cookie: annotator.cookie },
    );
    assert.equal(missing.errors?.[0]?.extensions?.code, 'NOT_FOUND');
  });

  it('reads a canvas-style RGBA drawing: light strokes on a transparent background', async () => {
    const rgba = Buffer.alloc(32 * 32 * 4);
    for (let i = 0; i < 10; i++) rgba.set([255, 40, 40, 255], (5 * 32 + i) * 4);
    const png = await sharp(rgba, { raw: { width: 32, height: 32, channels: 4 } })
      .png()
      .toBuffer();
    const image = await api.prisma.image.findFirstOrThrow({ where: { datasetId, name: 'train/good/000' } });
    const saved = await api.ok<Saved>(
      SAVE,
      { imageId: image.id, png: png.toString('base64'), base: 0 },
      { cookie: annotator.cookie },
    );
    assert.equal(saved.saveMask.defectPixels, 10);
  });
});

describe('reviewMask', () => {
  it('approves a submitted version, which becomes the ground truth; drafts cannot be reviewed', async () => {
    const image = await api.prisma.image.findUniqueOrThrow({ where: { id: normalImageId } });
    const draft = await api.prisma.mask.findFirstOrThrow({ where: { imageId: normalImageId, version: 1 } });
    const refused = await api.gql(REVIEW, { id: draft.id, decision: 'APPROVE' }, { cookie: admin.cookie });
    assert.equal(refused.errors?.[0]?.extensions?.code, 'FAILED_PRECONDITION');
    assert.match(refused.errors?.[0]?.message ?? '', /mask version 1 is DRAFT/);
    const byAnnotator = await api.gql(
      REVIEW,
      { id: image.currentMaskId, decision: 'APPROVE' },
      { cookie: annotator.cookie },
    );
    assert.equal(byAnnotator.errors?.[0]?.extensions?.code, 'FORBIDDEN');
    // The admin drew version 2: approving it needs the workspace to allow self-review (review.test.ts).
    const own = await api.gql(REVIEW, { id: image.currentMaskId, decision: 'APPROVE' }, { cookie: admin.cookie });
    assert.equal(own.errors?.[0]?.extensions?.code, 'SELF_REVIEW_FORBIDDEN');
    await api.ok('mutation { updateWorkspaceSettings(allowSelfReview: true) { allowSelfReview } }', {}, admin);

    const approved = await api.ok<{
      reviewMask: { status: string; reviews: { decision: string; comment: string; reviewer: { email: string } }[] };
    }>(REVIEW, { id: image.currentMaskId, decision: 'APPROVE', comment: 'clean outline' }, { cookie: admin.cookie });
    assert.equal(approved.reviewMask.status, 'APPROVED');
    assert.deepEqual(approved.reviewMask.reviews, [
      { decision: 'APPROVE', comment: 'clean outline', reviewer: { email: admin.email } },
    ]);
    const again = await api.gql(REVIEW, { id: image.currentMaskId, decision: 'REJECT' }, { cookie: admin.cookie });
    assert.equal(again.errors?.[0]?.extensions?.code, 'FAILED_PRECONDITION');
    await api.ok('mutation { updateWorkspaceSettings(allowSelfReview: false) { allowSelfReview } }', {}, admin);

    const view = await api.ok<{ image: { approvedMask: { version: number }; currentMask: { status: string } } }>(
      'query($id: ID!) { image(id: $id) { approvedMask { version } currentMask { status } } }',
      { id: normalImageId },
      { cookie: viewer.cookie },
    );
    assert.deepEqual(view.image, { approvedMask: { version: 2 }, currentMask: { status: 'APPROVED' } });
    const filtered = await api.ok<{ dataset: { images: { totalCount: number } } }>(
      'query($id: ID!) { dataset(id: $id) { images(first: 10, filter: { maskStatus: APPROVED }) { totalCount } } }',
      { id: datasetId },
      { cookie: viewer.cookie },
    );
    assert.equal(filtered.dataset.images.totalCount, 1, 'the crack image now has a DRAFT on top of its imported mask');
  });
});

describe('maskChanged subscription', () => {
  it('delivers saves and reviews of the watched dataset to a signed-in subscriber', async () => {
    const query = `subscription($id: ID!) { maskChanged(datasetId: $id) { kind mask { version status image { name } } } }`;
    type Event = { maskChanged: { kind: string; mask: { version: number; status: string; image: { name: string } } } };
    const watcher = await subscribe<Event>(api.url, query, { id: datasetId }, { cookie: viewer.cookie });
    const tool = await subscribe<Event>(
      api.url,
      query,
      { id: datasetId },
      {
        apiKey: (
          await api.ok<{ createApiKey: { secret: string } }>(
            'mutation { createApiKey(name: "ws", scopes: [READ]) { secret } }',
            {},
            { cookie: viewer.cookie },
          )
        ).createApiKey.secret,
      },
    );
    try {
      const image = await api.prisma.image.findFirstOrThrow({ where: { datasetId, name: 'test/good/000' } });
      const saved = await api.ok<Saved>(
        SAVE,
        { imageId: image.id, png: await drawn(), base: image.maskVersion, submit: true },
        { cookie: annotator.cookie },
      );
      const event = await watcher.next();
      assert.deepEqual(event.maskChanged, {
        kind: 'SAVED',
        mask: { version: saved.saveMask.version, status: 'SUBMITTED', image: { name: 'test/good/000' } },
      });
      assert.equal((await tool.next()).maskChanged.kind, 'SAVED');
      await api.ok(
        REVIEW,
        { id: saved.saveMask.id, decision: 'REJECT', comment: 'too wide' },
        { cookie: admin.cookie },
      );
      const reviewed = await watcher.next();
      assert.equal(reviewed.maskChanged.kind, 'REVIEWED');
      assert.equal(reviewed.maskChanged.mask.status, 'REJECTED');
    } finally {
      await watcher.close();
      await tool.close();
    }
  });

  it('refuses subscribers without credentials', async () => {
    const anonymous = await subscribe<unknown>(
      api.url,
      'subscription($id: ID!) { maskChanged(datasetId: $id) { kind } }',
      { id: datasetId },
      null,
    );
    try {
      await assert.rejects(
        anonymous.next(),
        (error: unknown) => JSON.stringify(error).includes('UNAUTHENTICATED') || String(error).includes('Sign in'),
      );
    } finally {
      await anonymous.close();
    }
  });
});

describe('restoreMaskVersion', () => {
  const RESTORE = `mutation($imageId: ID!, $version: Int!, $base: Int!, $submit: Boolean) {
    restoreMaskVersion(imageId: $imageId, version: $version, baseVersion: $base, submit: $submit) {
      id version status source defectPixels author { email } image { maskVersion }
    }
  }`;
  let imageId: string;
  /** The image's mask version before this suite's saves (an earlier test may have saved some). */
  let start: number;

  before(async () => {
    const image = await api.prisma.image.findFirstOrThrow({ where: { datasetId, name: 'train/good/000' } });
    [imageId, start] = [image.id, image.maskVersion];
    for (const [base, spot] of [
      [start, { x: 10, y: 12, r: 4 }],
      [start + 1, { x: 20, y: 20, r: 2 }],
    ] as const) {
      await api.ok<Saved>(SAVE, { imageId, png: await drawn(spot), base }, { cookie: annotator.cookie });
    }
  });

  it("saves an earlier version's pixels as a new version by the caller; the versions between stay", async () => {
    const restored = await api.ok<{ restoreMaskVersion: Saved['saveMask'] }>(
      RESTORE,
      { imageId, version: start + 1, base: start + 2, submit: true },
      { cookie: admin.cookie },
    );
    assert.equal(restored.restoreMaskVersion.version, start + 3);
    assert.equal(restored.restoreMaskVersion.status, 'SUBMITTED');
    assert.equal(restored.restoreMaskVersion.source, 'ANNOTATED');
    assert.equal(restored.restoreMaskVersion.author.email, admin.email);
    assert.equal(restored.restoreMaskVersion.image.maskVersion, start + 3);
    const masks = await api.prisma.mask.findMany({
      where: { imageId, version: { gt: start } },
      orderBy: { version: 'asc' },
    });
    assert.deepEqual(
      masks.map((mask) => [mask.version - start, mask.defectPixels]),
      [
        [1, 49],
        [2, 13],
        [3, 49],
      ],
    );
    assert.equal(masks[2]!.contentHash, masks[0]!.contentHash, 'the same pixels');
    const file = await fetch(`${api.url}/files/masks/${masks[2]!.id}`, { headers: { cookie: admin.cookie } });
    assert.equal(file.status, 200);
  });

  it('a stale baseVersion is a CONFLICT that writes nothing and says the current version', async () => {
    const stale = await api.gql(
      RESTORE,
      { imageId, version: start + 2, base: start + 2 },
      { cookie: annotator.cookie },
    );
    assert.equal(stale.errors?.[0]?.extensions?.code, 'CONFLICT');
    assert.equal(stale.errors?.[0]?.extensions?.currentVersion, start + 3);
    assert.equal(await api.prisma.mask.count({ where: { imageId } }), start + 3);
  });

  it('names a version or an image that does not exist, refuses bad numbers and viewers', async () => {
    const base = start + 3;
    const missing = await api.gql(RESTORE, { imageId, version: 99, base }, { cookie: annotator.cookie });
    assert.equal(missing.errors?.[0]?.extensions?.code, 'NOT_FOUND');
    assert.match(missing.errors?.[0]?.message ?? '', /Version 99 of the mask of image/);
    const zero = await api.gql(RESTORE, { imageId, version: 0, base }, { cookie: annotator.cookie });
    assert.equal(zero.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
    assert.match(zero.errors?.[0]?.message ?? '', /version must be a mask version/);
    const byViewer = await api.gql(RESTORE, { imageId, version: start + 1, base }, { cookie: viewer.cookie });
    assert.equal(byViewer.errors?.[0]?.extensions?.code, 'FORBIDDEN');
    assert.equal(await api.prisma.mask.count({ where: { imageId } }), base);
  });
});
