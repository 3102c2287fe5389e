import type { Prisma, PrismaClient, Run } from '@prisma/client';
import { ConfigError, OPTION_NAMES, validateOptions, type RunOptions } from '@vad/models';
import type PgBoss from 'pg-boss';

import type { Viewer } from '../../auth/viewer';
import type { Config } from '../../config';
import { Topic, type EventBus } from '../../events/pubsub';
import { keysetPage, type ConnectionValue } from '../../graphql/connection';
import { BadInputError, FailedPreconditionError, NotFoundError } from '../../graphql/errors';
import { checkId, isUuid } from '../../graphql/ids';
import { CONTROL_CHANNEL, sendRunTicket, type ControlMessage } from '../../jobs/queue';
import { emitRunEvent } from '../webhook/webhook.events';
import { RunOrder, type RunListArgs, type StartRunInput } from './run.input';

/** startRun's input as the pipeline's options (only what was given: the rest is the worker's to resolve). */
export function optionsOf(input: StartRunInput): RunOptions {
  const options: Record<string, unknown> = {};
  for (const name of OPTION_NAMES) {
    const value = input[name];
    if (value != null) options[name] = value;
  }
  return options as RunOptions;
}

export class RunService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly boss: PgBoss,
    private readonly events: EventBus,
    private readonly config: Config,
  ) {}

  /** A page of runs by creation time: one dataset's, or all. */
  async list(datasetId: string | null, { filter, orderBy, ...page }: RunListArgs): Promise<ConnectionValue<Run>> {
    if (datasetId != null && !isUuid(datasetId)) throw new NotFoundError('Dataset', datasetId);
    const notAnId = filter?.ids?.find((id) => !isUuid(id));
    if (notAnId !== undefined) {
      throw new BadInputError(`filter.ids holds "${notAnId}", which is not a run id`, 'filter');
    }
    return keysetPage(this.prisma.run, {
      where: {
        ...(datasetId ? { datasetId } : {}),
        ...(filter?.status?.length ? { status: { in: filter.status } } : {}),
        ...(filter?.ids ? { id: { in: filter.ids } } : {}),
      },
      field: 'createdAt',
      direction: orderBy === RunOrder.CREATED_AT_ASC ? 'asc' : 'desc',
      ...page,
      maxPageSize: this.config.limits.maxPageSize,
    });
  }

  /** Queues a run after checking everything that can be checked here: dataset, images, option values. */
  async start(viewer: Viewer, input: StartRunInput): Promise<Run> {
    checkId(input.datasetId, 'Dataset');
    const dataset = await this.prisma.dataset.findUnique({ where: { id: input.datasetId } });
    if (!dataset) throw new NotFoundError('Dataset', input.datasetId);
    const options = optionsOf(input);
    try {
      validateOptions(options);
    } catch (error) {
      if (error instanceof ConfigError) throw new BadInputError(error.message, error.option);
      throw error;
    }
    const [train, test] = await Promise.all([
      this.prisma.image.count({ where: { datasetId: dataset.id, label: 'NORMAL', split: 'TRAIN' } }),
      this.prisma.image.count({ where: { datasetId: dataset.id, split: 'TEST', label: { not: 'UNLABELED' } } }),
    ]);
    if (train < 2 || test < 1) {
      throw new FailedPreconditionError(
        `dataset ${dataset.name} has ${train} normal training and ${test} labelled test images; a run needs at least 2 and 1`,
      );
    }
    const run = await this.prisma.run.create({
      data: {
        datasetId: dataset.id,
        name: (input.name ?? '').trim(),
        options: options as Prisma.InputJsonObject,
        createdById: viewer.user.id,
        phase: 'waiting for a worker',
      },
    });
    await emitRunEvent(this.prisma, 'RUN_QUEUED', run.id);
    const jobId = await sendRunTicket(this.boss, run.id);
    return this.prisma.run.update({ where: { id: run.id }, data: { jobId } });
  }

  /**
   * Cancels a run: a queued one at once; a running one through its worker, which stops within one training
   * step (the run shows cancelRequested until the worker confirms, or the reaper does if the worker is gone).
   */
  async cancel(id: string): Promise<Run> {
    checkId(id, 'Run');
    const run = await this.prisma.run.findUnique({ where: { id } });
    if (!run) throw new NotFoundError('Run', id);
    const queued = await this.prisma.run.updateMany({
      where: { id, status: 'QUEUED' },
      data: { status: 'CANCELLED', cancelRequested: true, phase: 'cancelled', finishedAt: new Date() },
    });
    if (queued.count === 1) await emitRunEvent(this.prisma, 'RUN_CANCELLED', id);
    if (queued.count === 0) {
      const running = await this.prisma.run.updateMany({
        where: { id, status: 'RUNNING' },
        data: { cancelRequested: true, phase: 'cancelling' },
      });
      if (running.count === 0) {
        throw new FailedPreconditionError(`run ${id} is ${run.status}: only queued or running runs can be cancelled`, {
          status: run.status,
        });
      }
      const message: ControlMessage = { cancelRun: id };
      await this.prisma.$executeRaw`SELECT pg_notify(${CONTROL_CHANNEL}, ${JSON.stringify(message)})`;
    }
    await this.events.publish(Topic.RUN_PROGRESS, id, { runId: id });
    return this.prisma.run.findUniqueOrThrow({ where: { id } });
  }
}
