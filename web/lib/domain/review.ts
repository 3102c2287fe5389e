import { ApiError, isApiError, type GraphqlClient } from '../graphql/client';
import {
  MaskForReviewDocument,
  NextMaskForReviewDocument,
  ReviewCountDocument,
  ReviewInboxDocument,
  UpdateWorkspaceSettingsDocument,
  WorkspaceSettingsDocument,
  type MaskForReviewQuery,
  type ReviewDecision,
  type ReviewEntryFragment,
  type ReviewOrder,
} from '../graphql/generated';
import { reviewMask, type MaskVersion } from './masks';

export type ReviewEntry = ReviewEntryFragment;
type MaskNode = NonNullable<MaskForReviewQuery['node']>;
export type MaskUnderReview = Extract<MaskNode, { version: number }>;

/** `node(id:)` answers any type; an id of something other than a mask reads as no mask. */
function isMask(node: MaskForReviewQuery['node']): node is MaskUnderReview {
  return node !== null && 'version' in node;
}

/** How many waiting masks one inbox page shows. */
export const INBOX_PAGE_SIZE = 50;

export const REVIEW_ORDERS: readonly { value: ReviewOrder; label: string }[] = [
  { value: 'OLDEST_FIRST', label: 'Oldest first' },
  { value: 'NEWEST_FIRST', label: 'Newest first' },
];

/** The inbox order from a page's URL (`?order=newest`); oldest first otherwise, first in first out. */
export function parseReviewOrder(value: string | string[] | undefined): ReviewOrder {
  return value === 'newest' ? 'NEWEST_FIRST' : 'OLDEST_FIRST';
}

/** A review page's URL, the inbox order travelling as `?order=newest` (nothing for the default), with `extra`. */
export function reviewHref(pathname: string, order: ReviewOrder, extra: Record<string, string> = {}): string {
  const query = new URLSearchParams({ ...(order === 'NEWEST_FIRST' ? { order: 'newest' } : {}), ...extra }).toString();
  return query ? `${pathname}?${query}` : pathname;
}

export interface Inbox {
  entries: ReviewEntry[];
  totalCount: number;
  /** The cursor of the next page, null on the last. */
  nextCursor: string | null;
  allowSelfReview: boolean;
}

/** A page of the masks waiting for review (admins), and whether one's own masks are among them. */
export async function reviewInbox(
  client: GraphqlClient,
  order: ReviewOrder,
  after: string | null = null,
): Promise<Inbox> {
  const { reviewQueue, workspaceSettings } = await client.request(ReviewInboxDocument, {
    first: INBOX_PAGE_SIZE,
    after,
    orderBy: order,
  });
  return {
    entries: reviewQueue.edges.map((edge) => edge.node),
    totalCount: reviewQueue.totalCount,
    nextCursor: reviewQueue.pageInfo.hasNextPage ? reviewQueue.pageInfo.endCursor : null,
    allowSelfReview: workspaceSettings.allowSelfReview,
  };
}

/** How many masks wait for the signed-in reviewer: the inbox count the navigation shows. */
export async function reviewCount(client: GraphqlClient): Promise<number> {
  return (await client.request(ReviewCountDocument)).reviewQueue.totalCount;
}

export interface ReviewView {
  /** Null when the id names no mask. */
  mask: MaskUnderReview | null;
  allowSelfReview: boolean;
  waiting: number;
}

/** One mask version as a reviewer opens it, with the workspace's self-review rule and the inbox count. */
export async function maskForReview(client: GraphqlClient, maskId: string): Promise<ReviewView> {
  const { node, workspaceSettings, reviewQueue } = await client.request(MaskForReviewDocument, { id: maskId });
  return {
    mask: isMask(node) ? node : null,
    allowSelfReview: workspaceSettings.allowSelfReview,
    waiting: reviewQueue.totalCount,
  };
}

/** Why a reviewer cannot decide on a mask; `selfReview` when it is their own and the workspace does not allow that. */
export interface ReviewBlocker {
  message: string;
  selfReview: boolean;
}

export const SELF_REVIEW_MESSAGE = 'This is your own mask: another admin must approve or reject it.';

/** Why the signed-in reviewer cannot decide on this mask now, or null when they can. */
export function reviewBlocker(view: ReviewView, viewerId: string): ReviewBlocker | null {
  const { mask } = view;
  if (!mask) return { message: 'This mask does not exist.', selfReview: false };
  if (mask.status !== 'SUBMITTED') {
    const message = `Version ${mask.version} is ${mask.status.toLowerCase()}: there is nothing to decide on it any more.`;
    return { message, selfReview: false };
  }
  if (mask.image.maskVersion !== mask.version) {
    const message = `A newer version (v${mask.image.maskVersion}) of this image's mask was saved since: review that one instead.`;
    return { message, selfReview: false };
  }
  if (mask.author?.id === viewerId && !view.allowSelfReview) return { message: SELF_REVIEW_MESSAGE, selfReview: true };
  return null;
}

/** The waiting mask after `after` in the inbox's order (wrapping round), or the first; null when none waits. */
export async function nextForReview(
  client: GraphqlClient,
  order: ReviewOrder,
  after: string | null,
): Promise<string | null> {
  return (await client.request(NextMaskForReviewDocument, { after, orderBy: order })).nextMaskForReview?.id ?? null;
}

export type DecisionOutcome =
  | { kind: 'reviewed'; mask: MaskVersion; nextId: string | null }
  /** The API refused because the mask is the reviewer's own and self-review is off. */
  | { kind: 'self-review'; blocker: ReviewBlocker };

/**
 * Approves or rejects a mask and finds the next waiting one. A rejection needs a comment, to tell the annotator
 * what to change.
 */
export async function decide(
  client: GraphqlClient,
  input: { maskId: string; decision: ReviewDecision; comment: string; order: ReviewOrder },
): Promise<DecisionOutcome> {
  if (input.decision === 'REJECT' && input.comment.trim() === '') {
    throw new ApiError('Say what to change: a rejection needs a comment for the annotator.', 'BAD_USER_INPUT');
  }
  try {
    const mask = await reviewMask(client, input.maskId, input.decision, input.comment);
    return { kind: 'reviewed', mask, nextId: await nextForReview(client, input.order, input.maskId) };
  } catch (error) {
    if (isApiError(error, 'SELF_REVIEW_FORBIDDEN')) {
      return { kind: 'self-review', blocker: { message: SELF_REVIEW_MESSAGE, selfReview: true } };
    }
    throw error;
  }
}

export async function workspaceSettings(client: GraphqlClient): Promise<{ allowSelfReview: boolean }> {
  return (await client.request(WorkspaceSettingsDocument)).workspaceSettings;
}

export async function setAllowSelfReview(client: GraphqlClient, allow: boolean): Promise<boolean> {
  return (await client.request(UpdateWorkspaceSettingsDocument, { allowSelfReview: allow })).updateWorkspaceSettings
    .allowSelfReview;
}
