import type { JobStatus, Prisma, PrismaClient, Run, RunStatus } from '@prisma/client';
import { ConfigError, OPTION_NAMES, validateOptions, type RunOptions } from '@vad/models';
import type PgBoss from 'pg-boss';

import type { Viewer } from '../../auth/viewer';
import type { Config } from '../../config';
import { Topic, type EventBus } from '../../events/pubsub';
import { removeDeletedFiles } from '../../files/removal';
import { resultFileKeys } from '../../files/result-maps';
import type { FileStore } from '../../files/store';
import { keysetPage, type ConnectionValue } from '../../graphql/connection';
import { BadInputError, FailedPreconditionError, NotFoundError } from '../../graphql/errors';
import { checkId, isUuid } from '../../graphql/ids';
import { CONTROL_CHANNEL, sendRunTicket, type ControlMessage } from '../../jobs/queue';
import { emitRunEvent } from '../webhook/webhook.events';
import type { WorkerService } from '../worker/worker.service';
import { RunOrder, type RunListArgs, type StartRunInput } from './run.input';

/** States a run never leaves: only such a run may be deleted. */
const ENDED: RunStatus[] = ['SUCCEEDED', 'FAILED', 'CANCELLED'];

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
    private readonly files: FileStore,
    private readonly workers: WorkerService,
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
    await this.workers.checkDevice(options.device);
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

  /** Gives a run another label for people (the id, options and results stay). */
  async rename(id: string, name: string): Promise<Run> {
    checkId(id, 'Run');
    if (name.trim().length > 200) {
      throw new BadInputError(`name must be at most 200 characters, got ${name.trim().length}`, 'name');
    }
    const renamed = await this.prisma.run.updateMany({ where: { id }, data: { name: name.trim() } });
    if (renamed.count === 0) throw new NotFoundError('Run', id);
    await this.events.publish(Topic.RUN_PROGRESS, id, { runId: id });
    return this.prisma.run.findUniqueOrThrow({ where: { id } });
  }

  /**
   * Deletes an ended run with its results, evaluations, decisions, predictions and exports, then the files
   * nothing else uses (through the garbage collection, which keeps any file another row names or a lease holds),
   * its folder of checkpoints and its exports' zips. A queued or running run must be cancelled first, and a run
   * whose evaluation, export or prediction is still queued or running waits for it: a worker holds it.
   */
  async delete(id: string): Promise<boolean> {
    checkId(id, 'Run');
    const run = await this.prisma.run.findUnique({ where: { id } });
    if (!run) throw new NotFoundError('Run', id);
    const refuse = (status: RunStatus) =>
      new FailedPreconditionError(`run ${id} is ${status}: cancel it first, then delete it`, { status });
    if (!ENDED.includes(run.status)) throw refuse(run.status);
    const pending = { runId: id, status: { in: ['QUEUED', 'RUNNING'] as JobStatus[] } };
    const [evaluations, exports, predictions] = await Promise.all([
      this.prisma.evaluation.count({ where: pending }),
      this.prisma.export.count({ where: pending }),
      this.prisma.prediction.count({ where: pending }),
    ]);
    if (evaluations + exports + predictions > 0) {
      throw new FailedPreconditionError(
        `run ${id} has ${evaluations} evaluation(s), ${exports} export(s) and ${predictions} prediction(s) ` +
          'queued or running: wait for them to end',
        { status: run.status },
      );
    }
    const [results, predicted, zips] = await Promise.all([
      this.prisma.result.findMany({ where: { runId: id }, select: { mapKeys: true, reconstructionKey: true } }),
      this.prisma.predictionImage.findMany({
        where: { prediction: { runId: id } },
        select: { contentHash: true, mapKeys: true, reconstructionKey: true },
      }),
      this.prisma.export.findMany({ where: { runId: id }, select: { id: true } }),
    ]);
    // Conditional on the ended state, so that a run that was queued again meanwhile is not deleted under a worker.
    const deleted = await this.prisma.run.deleteMany({ where: { id, status: { in: ENDED } } });
    if (deleted.count === 0) {
      const now = await this.prisma.run.findUnique({ where: { id }, select: { status: true } });
      if (!now) throw new NotFoundError('Run', id);
      throw refuse(now.status);
    }
    const keys = [
      ...results.flatMap(resultFileKeys),
      ...predicted.flatMap((image) => [image.contentHash, ...resultFileKeys(image)]),
    ];
    await removeDeletedFiles(this.prisma, this.files, { keys, runIds: [id], exportIds: zips.map((zip) => zip.id) });
    await this.events.publish(Topic.RUN_PROGRESS, id, { runId: id });
    return true;
  }
}
