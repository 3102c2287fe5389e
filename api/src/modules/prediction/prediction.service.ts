import { access } from 'node:fs/promises';

import type { Prediction, PredictionImage, PrismaClient } from '@prisma/client';
import { outputPaths } from '@vad/models';
import type PgBoss from 'pg-boss';

import type { Viewer } from '../../auth/viewer';
import type { FileStore } from '../../files/store';
import { BadInputError, FailedPreconditionError, NotFoundError } from '../../graphql/errors';
import { checkId, isUuid } from '../../graphql/ids';
import { sendPredictionTicket } from '../../jobs/queue';
import { runOutputFolder } from '../../jobs/run-job';

/** Dataset images one prediction may name; more go in several predictions (or a zip). */
export const MAX_PREDICTION_IMAGES = 1000;

/** predict: queues a Prediction for a worker (jobs/prediction-job.ts), which scores the images with the run's model. */
export class PredictionService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly boss: PgBoss,
    private readonly files: FileStore,
  ) {}

  async byId(id: string): Promise<Prediction | null> {
    if (!isUuid(id)) return null;
    return this.prisma.prediction.findUnique({ where: { id } });
  }

  /** The images a prediction scored, in its order (none before it has SUCCEEDED). */
  images(predictionId: string): Promise<PredictionImage[]> {
    return this.prisma.predictionImage.findMany({ where: { predictionId }, orderBy: { position: 'asc' } });
  }

  /** A run's predictions, newest first. */
  ofRun(runId: string, first: number): Promise<Prediction[]> {
    return this.prisma.prediction.findMany({ where: { runId }, orderBy: { createdAt: 'desc' }, take: first });
  }

  /** The run's checkpoint file, when the run has SUCCEEDED and its checkpoint is still on disk. */
  async checkpointOf(run: { id: string; status: string }): Promise<string | null> {
    if (run.status !== 'SUCCEEDED') return null;
    const file = outputPaths(runOutputFolder(this.files, run.id)).checkpoint;
    return access(file).then(
      () => file,
      () => null,
    );
  }

  /**
   * Checks what can be checked now (the run has SUCCEEDED and kept its checkpoint; the images exist; the upload is
   * the caller's, or an admin's to use, and not yet used) and queues the job; the files are read by the worker,
   * whose error names any file at fault.
   */
  async predict(
    viewer: Viewer,
    runId: string,
    imageIds: readonly string[],
    uploadId: string | null,
  ): Promise<Prediction> {
    checkId(runId, 'Run');
    const run = await this.prisma.run.findUnique({ where: { id: runId }, select: { id: true, status: true } });
    if (!run) throw new NotFoundError('Run', runId);
    if (run.status !== 'SUCCEEDED') {
      throw new FailedPreconditionError(
        `run ${runId} is ${run.status}: only a succeeded run has a trained model to score images with`,
        { status: run.status },
      );
    }
    if (!(await this.checkpointOf(run))) {
      throw new FailedPreconditionError(`run ${runId} has no checkpoint any more: its model cannot score images`, {
        status: run.status,
      });
    }
    const ids = [...new Set(imageIds)];
    if (ids.length === 0 && uploadId === null)
      throw new BadInputError(
        'give imageIds, an uploadId (a zip of images sent to POST /uploads), or both',
        'imageIds',
      );
    if (ids.length > MAX_PREDICTION_IMAGES) {
      throw new BadInputError(
        `${ids.length} images: one prediction takes at most ${MAX_PREDICTION_IMAGES} (send more in a zip)`,
        'imageIds',
      );
    }
    for (const id of ids) checkId(id, 'Image');
    const found = await this.prisma.image.findMany({ where: { id: { in: ids } }, select: { id: true } });
    const known = new Set(found.map((image) => image.id));
    const unknown = ids.find((id) => !known.has(id));
    if (unknown !== undefined) throw new NotFoundError('Image', unknown);
    let fileName: string | null = null;
    if (uploadId !== null) {
      const upload = isUuid(uploadId) ? await this.prisma.upload.findUnique({ where: { id: uploadId } }) : null;
      if (!upload || (upload.userId !== viewer.user.id && viewer.user.role !== 'ADMIN'))
        throw new NotFoundError('Upload', uploadId);
      if (upload.usedAt) throw new FailedPreconditionError(`upload ${uploadId} has already been used`);
      fileName = upload.fileName;
    }
    const created = await this.prisma.prediction.create({
      data: { runId, imageIds: ids, uploadId, fileName, createdById: viewer.user.id },
    });
    await sendPredictionTicket(this.boss, created.id);
    return created;
  }
}
