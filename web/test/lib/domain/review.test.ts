import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { assignableUsers, assignImages, queueState, type QueueImage } from '../../../lib/domain/assignments';
import {
  decide,
  parseReviewOrder,
  reviewBlocker,
  reviewHref,
  SELF_REVIEW_MESSAGE,
  type MaskUnderReview,
  type ReviewView,
} from '../../../lib/domain/review';
import type { UserAccount } from '../../../lib/domain/users';
import { ApiError, type GraphqlClient } from '../../../lib/graphql/client';

/** A client that answers each request in turn (an Error is thrown) and records what was sent. */
function fakeClient(...answers: unknown[]) {
  const sent: { query: string; variables: unknown }[] = [];
  const client: GraphqlClient = {
    request: (async (document: { toString(): string }, variables?: unknown) => {
      sent.push({ query: document.toString(), variables });
      const answer = answers.shift();
      if (answer instanceof Error) throw answer;
      return answer;
    }) as GraphqlClient['request'],
  };
  return { client, sent };
}

function view(mask: Partial<MaskUnderReview> & { imageVersion?: number }, allowSelfReview = false): ReviewView {
  const { imageVersion, ...rest } = mask;
  const full = {
    id: 'm1',
    version: 2,
    status: 'SUBMITTED',
    author: { id: 'ann', name: 'Ann' },
    image: { maskVersion: imageVersion ?? 2 },
    ...rest,
  } as MaskUnderReview;
  return { mask: full, allowSelfReview, waiting: 1 };
}

describe('the review inbox order', () => {
  it('is oldest first unless the URL says newest, and travels back the same way', () => {
    assert.equal(parseReviewOrder(undefined), 'OLDEST_FIRST');
    assert.equal(parseReviewOrder('anything'), 'OLDEST_FIRST');
    assert.equal(parseReviewOrder('newest'), 'NEWEST_FIRST');
    assert.equal(reviewHref('/review', 'NEWEST_FIRST'), '/review?order=newest');
    assert.equal(reviewHref('/review', 'OLDEST_FIRST'), '/review');
    assert.equal(
      reviewHref('/review/m1', 'NEWEST_FIRST', { approved: 'a b.png' }),
      '/review/m1?order=newest&approved=a+b.png',
    );
    assert.equal(reviewHref('/review', 'OLDEST_FIRST', { rejected: 'x' }), '/review?rejected=x');
  });
});

describe('reviewBlocker', () => {
  it('lets a reviewer decide on a waiting mask of someone else', () => {
    assert.equal(reviewBlocker(view({}), 'bob'), null);
  });

  it("refuses one's own mask unless the workspace allows self-review", () => {
    assert.deepEqual(reviewBlocker(view({}), 'ann'), { message: SELF_REVIEW_MESSAGE, selfReview: true });
    assert.equal(reviewBlocker(view({}, true), 'ann'), null);
  });

  it('says when the version was decided on already, superseded, or does not exist', () => {
    assert.match(reviewBlocker(view({ status: 'APPROVED' }), 'bob')!.message, /v?2 is approved/);
    assert.match(reviewBlocker(view({ imageVersion: 3 }), 'bob')!.message, /newer version \(v3\)/);
    assert.equal(reviewBlocker({ mask: null, allowSelfReview: false, waiting: 0 }, 'bob')?.selfReview, false);
  });
});

describe('decide', () => {
  const reviewed = { reviewMask: { id: 'm1', version: 2, status: 'APPROVED' } };

  it('reviews, then asks for the mask after this one in the same order', async () => {
    const { client, sent } = fakeClient(reviewed, { nextMaskForReview: { id: 'm2' } });
    const outcome = await decide(client, { maskId: 'm1', decision: 'APPROVE', comment: ' ok ', order: 'NEWEST_FIRST' });
    assert.deepEqual(outcome, { kind: 'reviewed', mask: reviewed.reviewMask, nextId: 'm2' });
    assert.deepEqual(sent[0]!.variables, { maskId: 'm1', decision: 'APPROVE', comment: 'ok' });
    assert.deepEqual(sent[1]!.variables, { after: 'm1', orderBy: 'NEWEST_FIRST' });
  });

  it('needs a comment to reject, and sends nothing without one', async () => {
    const { client, sent } = fakeClient();
    await assert.rejects(
      decide(client, { maskId: 'm1', decision: 'REJECT', comment: '  ', order: 'OLDEST_FIRST' }),
      (error: unknown) => error instanceof ApiError && /needs a comment/.test(error.message),
    );
    assert.equal(sent.length, 0);
  });

  it("turns the API's self-review refusal into its own outcome; other errors pass", async () => {
    const own = fakeClient(new ApiError('mask m1 is your own', 'SELF_REVIEW_FORBIDDEN'));
    const outcome = await decide(own.client, { maskId: 'm1', decision: 'APPROVE', comment: '', order: 'OLDEST_FIRST' });
    assert.deepEqual(outcome, { kind: 'self-review', blocker: { message: SELF_REVIEW_MESSAGE, selfReview: true } });
    const done = fakeClient(new ApiError('mask m1 is APPROVED', 'FAILED_PRECONDITION'));
    await assert.rejects(
      decide(done.client, { maskId: 'm1', decision: 'APPROVE', comment: '', order: 'OLDEST_FIRST' }),
      /is APPROVED/,
    );
  });
});

describe('assignments', () => {
  it('offers enabled annotators and admins, not viewers or disabled accounts', () => {
    const user = (id: string, role: UserAccount['role'], disabledAt: string | null = null) =>
      ({ id, role, disabledAt }) as UserAccount;
    const people = [user('a', 'ADMIN'), user('b', 'ANNOTATOR'), user('c', 'VIEWER'), user('d', 'ANNOTATOR', 'x')];
    assert.deepEqual(
      assignableUsers(people).map((person) => person.id),
      ['a', 'b'],
    );
  });

  it('sends either the chosen images or a defect type, never both', async () => {
    const { client, sent } = fakeClient({ assignImages: 2 }, { assignImages: 5 });
    assert.equal(await assignImages(client, 'd1', 'u1', { kind: 'images', imageIds: ['i1', 'i2'] }), 2);
    assert.equal(await assignImages(client, 'd1', 'u1', { kind: 'defectType', defectType: 'crack' }), 5);
    assert.deepEqual(
      sent.map((request) => request.variables),
      [
        { datasetId: 'd1', userId: 'u1', imageIds: ['i1', 'i2'], defectType: null },
        { datasetId: 'd1', userId: 'u1', imageIds: null, defectType: 'crack' },
      ],
    );
  });

  it("says what is left to do on a queued image, a rejection with the reviewer's comment", () => {
    const image = (currentMask: QueueImage['currentMask']) => ({ currentMask }) as QueueImage;
    assert.equal(queueState(image(null)), 'No mask yet');
    assert.equal(queueState(image({ id: 'm', version: 3, status: 'DRAFT', reviews: [] })), 'Draft v3, not submitted');
    const rejected = image({
      id: 'm',
      version: 2,
      status: 'REJECTED',
      reviews: [{ id: 'r', decision: 'REJECT', comment: 'too wide', reviewer: { name: 'Bo' } }],
    });
    assert.equal(queueState(rejected), 'v2 rejected by Bo: “too wide”');
  });
});
