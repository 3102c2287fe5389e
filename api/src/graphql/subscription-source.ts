import type { Context } from './context';
import { BadInputError, NotFoundError } from './errors';
import { isUuid } from './ids';

/** What a subscription follows: its argument, the kind of object it names, and whether one exists. */
export interface FollowedObject {
  /** The argument naming it (`runId`, `datasetId`), for BAD_USER_INPUT's `field`. */
  argument: string;
  /** The type's name, for messages. */
  what: string;
  id: unknown;
  exists(id: string): Promise<boolean>;
}

/**
 * The events about one object, listened to before the object is looked up, so that nothing that happens meanwhile
 * is missed (the pub/sub only listens from the first `next()`, which is asked for here). An id that is not a UUID is
 * BAD_USER_INPUT, one that names nothing NOT_FOUND: the subscriber learns at once that it would wait forever,
 * instead of getting a socket that stays open and quiet.
 */
export async function eventsAbout(
  context: Context,
  topic: string,
  followed: FollowedObject,
): Promise<{ id: string; events: AsyncIterableIterator<unknown> }> {
  const { argument, what, id } = followed;
  if (typeof id !== 'string' || !isUuid(id)) {
    throw new BadInputError(`${argument} ${JSON.stringify(id)} is not a ${what} id (a UUID)`, argument);
  }
  const source = context.services.events.pubSub.subscribe(topic, id)[Symbol.asyncIterator]();
  let first: Promise<IteratorResult<unknown>> | null = source.next();
  const events: AsyncIterableIterator<unknown> = {
    next: () => {
      const next = first ?? source.next();
      first = null;
      return next;
    },
    return: async () => {
      first = null;
      await source.return?.();
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
  let found: boolean;
  try {
    found = await followed.exists(id);
  } catch (error) {
    await events.return!();
    throw error;
  }
  if (!found) {
    await events.return!();
    throw new NotFoundError(what, id);
  }
  return { id, events };
}

/** The events about the dataset a `datasetId` argument names (masks saved, labels changed in it). */
export function eventsAboutDataset(
  context: Context,
  topic: string,
  datasetId: unknown,
): Promise<{ id: string; events: AsyncIterableIterator<unknown> }> {
  const { prisma } = context.services;
  return eventsAbout(context, topic, {
    argument: 'datasetId',
    what: 'Dataset',
    id: datasetId,
    exists: async (id) => (await prisma.dataset.count({ where: { id } })) > 0,
  });
}
