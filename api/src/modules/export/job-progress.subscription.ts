import type {
  DatasetImport as DatasetImportRow,
  Export as ExportRow,
  JobStatus,
  MaskImport as MaskImportRow,
  PrismaClient,
} from '@prisma/client';
import { Repeater } from '@repeaterjs/repeater';
import { Arg, ID, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';

import { Topic } from '../../events/pubsub';
import type { Context } from '../../graphql/context';
import { eventsAbout } from '../../graphql/subscription-source';
import { DatasetImport } from '../dataset/dataset-import.type';
import { Export } from './export.type';
import { MaskImport } from './mask-import.type';

const ENDED: readonly JobStatus[] = ['SUCCEEDED', 'FAILED'];

/**
 * The `subscribe` of a job's progress subscription (argument `id`): the job's row, loaded by `load`, now and again
 * after each of its events on `topic`, until it has ended.
 */
export function followJobById<Row extends { status: JobStatus }>(
  topic: string,
  what: string,
  load: (prisma: PrismaClient, id: string) => Promise<Row | null>,
): (data: SubscribeResolverData) => Promise<AsyncIterable<Row>> {
  return ({ args, context }) => {
    const { prisma } = (context as Context).services;
    return followJob(context as Context, topic, what, (args as { id: unknown }).id, (id) => load(prisma, id));
  };
}

/**
 * A job's row now, then again after each of its events, until it has ended: like runProgress, so that a script
 * needs no query of its own and is not left waiting on a job that will not change any more.
 */
async function followJob<Row extends { status: JobStatus }>(
  context: Context,
  topic: string,
  what: string,
  id: unknown,
  load: (id: string) => Promise<Row | null>,
): Promise<AsyncIterable<Row>> {
  let row: Row | null = null;
  const followed = await eventsAbout(context, topic, {
    argument: 'id',
    what,
    id,
    exists: async (found) => (row = await load(found)) !== null,
  });
  return new Repeater<Row>(async (push, stop) => {
    void stop.then(() => followed.events.return?.());
    try {
      while (row) {
        await push(row);
        if (ENDED.includes(row.status)) break;
        const event = await Promise.race([followed.events.next(), stop]);
        if (!event || event.done) break;
        // Read after the event was heard: whatever changed before it is in the row.
        row = await load(followed.id);
      }
      stop();
    } catch (error) {
      stop(error);
    }
  });
}

@Resolver()
export class JobProgressSubscriptionResolver {
  @Subscription(() => Export, {
    subscribe: followJobById(Topic.EXPORT_PROGRESS, 'Export', (prisma, id) =>
      prisma.export.findUnique({ where: { id } }),
    ),
    description:
      'The export as it is now, then each time its progress, phase or status changes; completes once it has ' +
      'SUCCEEDED (downloadUrl is set) or FAILED. An id that is not a UUID is BAD_USER_INPUT, one that names no ' +
      'export NOT_FOUND.',
  })
  exportProgress(
    @Arg('id', () => ID, { description: 'The export to follow.' }) _id: string,
    @Root() row: ExportRow,
  ): ExportRow {
    return row;
  }

  @Subscription(() => MaskImport, {
    subscribe: followJobById(Topic.MASK_IMPORT_PROGRESS, 'MaskImport', (prisma, id) =>
      prisma.maskImport.findUnique({ where: { id } }),
    ),
    description:
      'The mask import as it is now, then each time its progress, phase or status changes; completes once it has ' +
      'SUCCEEDED or FAILED. An id that is not a UUID is BAD_USER_INPUT, one that names no import NOT_FOUND.',
  })
  maskImportProgress(
    @Arg('id', () => ID, { description: 'The mask import to follow.' }) _id: string,
    @Root() row: MaskImportRow,
  ): MaskImportRow {
    return row;
  }

  @Subscription(() => DatasetImport, {
    subscribe: followJobById(Topic.DATASET_IMPORT_PROGRESS, 'DatasetImport', (prisma, id) =>
      prisma.datasetImport.findUnique({ where: { id } }),
    ),
    description:
      'The dataset import as it is now, then each time its progress, phase or status changes; completes once it ' +
      'has SUCCEEDED (dataset is set) or FAILED. An id that is not a UUID is BAD_USER_INPUT, one that names no ' +
      'import NOT_FOUND.',
  })
  datasetImportProgress(
    @Arg('id', () => ID, { description: 'The dataset import to follow.' }) _id: string,
    @Root() row: DatasetImportRow,
  ): DatasetImportRow {
    return row;
  }
}
