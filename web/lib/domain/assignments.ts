import type { GraphqlClient } from '../graphql/client';
import {
  AssignableImagesDocument,
  AssignedCountDocument,
  AssignImagesDocument,
  MyQueueCountDocument,
  MyQueueDocument,
  MyQueueImageIdsDocument,
  UnassignImagesDocument,
  type AssignableImagesQuery,
  type ImageFilter,
  type MyQueueImageIdsQuery,
  type MyQueueQuery,
} from '../graphql/generated';
import type { UserAccount } from './users';

export type QueueImage = MyQueueQuery['myAssignments']['edges'][number]['node'];
export type AssignableImage = NonNullable<AssignableImagesQuery['dataset']>['images']['edges'][number]['node'];

/** The API's largest page. */
const PAGE_SIZE = 100;

export interface QueuePage {
  images: QueueImage[];
  totalCount: number;
  nextCursor: string | null;
}

/** A page of the signed-in user's queue: assigned images whose mask is not yet submitted or approved. */
export async function myQueue(client: GraphqlClient, after: string | null = null): Promise<QueuePage> {
  const { myAssignments } = await client.request(MyQueueDocument, { first: PAGE_SIZE, after });
  return {
    images: myAssignments.edges.map((edge) => edge.node),
    totalCount: myAssignments.totalCount,
    nextCursor: myAssignments.pageInfo.hasNextPage ? myAssignments.pageInfo.endCursor : null,
  };
}

export async function myQueueCount(client: GraphqlClient): Promise<number> {
  return (await client.request(MyQueueCountDocument)).myAssignments.totalCount;
}

/** What is left to do on a queued image, in words: a rejection says why. */
export function queueState(image: QueueImage): string {
  const mask = image.currentMask;
  if (!mask) return 'No mask yet';
  if (mask.status === 'DRAFT') return `Draft v${mask.version}, not submitted`;
  const rejection = mask.reviews.findLast((review) => review.decision === 'REJECT');
  const by = rejection?.reviewer ? ` by ${rejection.reviewer.name}` : '';
  return `v${mask.version} rejected${by}${rejection?.comment ? `: “${rejection.comment}”` : ''}`;
}

/** The ids of every image in the signed-in user's queue, in the queue's order (what the editor steps through). */
export async function myQueueImageIds(client: GraphqlClient): Promise<string[]> {
  const ids: string[] = [];
  let after: string | null = null;
  for (;;) {
    const { myAssignments }: MyQueueImageIdsQuery = await client.request(MyQueueImageIdsDocument, {
      first: PAGE_SIZE,
      after,
    });
    ids.push(...myAssignments.edges.map((edge) => edge.node.id));
    if (!myAssignments.pageInfo.hasNextPage || !myAssignments.pageInfo.endCursor) return ids;
    after = myAssignments.pageInfo.endCursor;
  }
}

/** The editor on a queued image, stepping through the queue with Previous and Next. */
export function queuedEditorHref(image: { id: string }): string {
  return `/annotate/${image.id}?queue=mine`;
}

/** The editor on an image, stepping through its dataset's images. */
export function datasetEditorHref(image: { id: string; dataset: { id: string } }): string {
  return `/annotate/${image.id}?dataset=${image.dataset.id}`;
}

/** Who can be given images: enabled annotators and admins (the API refuses viewers and disabled accounts). */
export function assignableUsers(users: readonly UserAccount[]): UserAccount[] {
  return users.filter((user) => !user.disabledAt && user.role !== 'VIEWER');
}

/** The images an assignment names: chosen ones, or every image of one defect type (`good` for normal ones). */
export type ImageChoice = { kind: 'images'; imageIds: string[] } | { kind: 'defectType'; defectType: string };

function choiceVariables(choice: ImageChoice): { imageIds: string[] | null; defectType: string | null } {
  return choice.kind === 'images'
    ? { imageIds: choice.imageIds, defectType: null }
    : { imageIds: null, defectType: choice.defectType };
}

/** Gives the chosen images to a user, replacing whoever had them; answers how many. */
export async function assignImages(
  client: GraphqlClient,
  datasetId: string,
  userId: string,
  choice: ImageChoice,
): Promise<number> {
  return (await client.request(AssignImagesDocument, { datasetId, userId, ...choiceVariables(choice) })).assignImages;
}

/** Takes the chosen images' assignments away; answers how many had one. */
export async function unassignImages(client: GraphqlClient, datasetId: string, choice: ImageChoice): Promise<number> {
  return (await client.request(UnassignImagesDocument, { datasetId, ...choiceVariables(choice) })).unassignImages;
}

export interface AssignablePage {
  images: AssignableImage[];
  totalCount: number;
  nextCursor: string | null;
}

/** A page of a dataset's images with their assignees, to pick from. */
export async function assignablePage(
  client: GraphqlClient,
  datasetId: string,
  filter: ImageFilter,
  after: string | null = null,
): Promise<AssignablePage> {
  const { dataset } = await client.request(AssignableImagesDocument, {
    id: datasetId,
    first: PAGE_SIZE,
    after,
    filter,
  });
  const images = dataset?.images;
  return {
    images: images?.edges.map((edge) => edge.node) ?? [],
    totalCount: images?.totalCount ?? 0,
    nextCursor: images?.pageInfo.hasNextPage ? images.pageInfo.endCursor : null,
  };
}

/** How many of the dataset's images each user has, and how many nobody has, by user id (`null`: unassigned). */
export async function assignmentCounts(
  client: GraphqlClient,
  datasetId: string,
  users: readonly { id: string }[],
): Promise<Map<string | null, number>> {
  const counted = async (filter: ImageFilter) =>
    (await client.request(AssignedCountDocument, { id: datasetId, filter })).dataset?.images.totalCount ?? 0;
  const [unassigned, ...perUser] = await Promise.all([
    counted({ assigned: false }),
    ...users.map((user) => counted({ assigneeId: user.id })),
  ]);
  return new Map<string | null, number>([
    [null, unassigned ?? 0],
    ...users.map((user, i) => [user.id, perUser[i] ?? 0] as const),
  ]);
}
