import { Topic } from '../../events/pubsub';
import { UploadService } from '../../files/upload';
import { FailedPreconditionError } from '../../graphql/errors';
import { asCreator } from '../../jobs/mask-import-job';
import type { WorkerContext } from '../../jobs/run-job';
import { HandedBack, TrackedJob } from '../../jobs/tracked-job';
import { DatasetService, type ImportStep } from './dataset.service';

/** Share of the progress bar before the images are read (unpacking a zip), and after (the write). */
const READING_FROM = 0.05;
const READING_TO = 0.95;

/**
 * startDatasetImport on a worker: claims the DatasetImport row and runs importDataset's own import (the same
 * checks, the same one transaction, so a bad file imports nothing), reporting images checked and copied of all,
 * and ends the job in the transaction that writes the dataset.
 */
export async function handleDatasetImportTicket(context: WorkerContext, datasetImportId: string): Promise<void> {
  const { prisma, store, config } = context;
  const row = await prisma.datasetImport.findUnique({ where: { id: datasetImportId }, include: { createdBy: true } });
  if (!row) return;
  const announce = () => context.publish(Topic.DATASET_IMPORT_PROGRESS, datasetImportId, { datasetImportId });
  const job = await TrackedJob.claim(context, 'datasetImport', row, announce);
  if (!job) return;
  context.running.set(datasetImportId, { abort: () => job.lease.abort() });
  const report = (step: ImportStep) => {
    job.signal.throwIfAborted();
    if (step.step === 'unpacking') job.report(0.01, `unpacking ${step.source}`, true);
    else if (step.step === 'saving') job.report(READING_TO, `saving ${step.images} images`, true);
    else {
      const share = step.done / Math.max(1, step.total);
      job.report(READING_FROM + (READING_TO - READING_FROM) * share, `copying images: ${step.done} of ${step.total}`);
    }
  };
  try {
    if (!row.createdBy) throw new Error('the admin who asked for this import no longer has an account');
    const uploads = new UploadService(prisma, store, config.limits.maxUploadBytes, config.retention.uploadMs);
    const datasets = new DatasetService(prisma, store, uploads, config);
    job.report(0.01, `reading ${row.source}`, true);
    const input = {
      path: row.path,
      uploadId: row.uploadId,
      datasetId: row.intoDatasetId,
      name: row.name,
      description: row.description,
    };
    const dataset = await datasets.import(asCreator(row.createdBy), input, {
      onProgress: report,
      failureEvent: false,
      inTransaction: async (tx, made) => {
        const data = { datasetId: made.id, layout: made.layout, imageCount: made.imageCount };
        if (!(await job.succeed(data, tx))) throw new Error('another worker took this import over');
      },
    });
    context.log(`dataset import ${datasetImportId}: ${dataset.imageCount} images from ${row.source}`);
  } catch (error) {
    if (job.lease.lost) {
      context.log(`dataset import ${datasetImportId}: taken over by another worker`);
    } else if (context.stopping || error instanceof HandedBack) {
      await job.handBack('waiting for a worker (the previous one stopped)');
    } else if (error instanceof FailedPreconditionError && /being imported by another/.test(error.message)) {
      // An earlier attempt that died still holds the upload until its claim lapses: wait for it.
      await job.handBack('waiting for the upload (an earlier attempt still holds it)', 60);
    } else {
      const message = error instanceof Error ? error.message : String(error);
      context.log(`dataset import ${datasetImportId}: failed (${message})`);
      await job.fail(message);
    }
  } finally {
    context.running.delete(datasetImportId);
    await job.release();
  }
}
