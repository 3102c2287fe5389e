import { readFile } from 'node:fs/promises';
import path from 'node:path';

import type { Prisma, User } from '@prisma/client';
import { DatasetError, listPredictImages, openTrainedRun, predictSamples, type PredictSample } from '@vad/models';

import type { Viewer } from '../auth/viewer';
import { Topic } from '../events/pubsub';
import { FileLease } from '../files/leases';
import type { StoredMap } from '../files/result-maps';
import { encodeScoreMap } from '../files/score-map';
import { UploadService, type UploadClaim } from '../files/upload';
import { extractZip, ZipError } from '../files/zip';
import { FailedPreconditionError } from '../graphql/errors';
import { reconstructionPng } from './results';
import { runOutputFolder, type WorkerContext } from './run-job';
import { HandedBack, TrackedJob } from './tracked-job';

/** Bad input (a zip without images, an unreadable or oversized image): the job fails with this message. */
export class PredictionError extends Error {
  override name = 'PredictionError';
}

/** Content types of the image files a zip may hold, by extension (what the pipeline's readers decode). */
const MIME_TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.bmp': 'image/bmp',
  '.tif': 'image/tiff',
  '.tiff': 'image/tiff',
};

/** An image to score and what its PredictionImage row keeps of it. */
interface Subject extends PredictSample {
  imageId: string | null;
  name: string;
  contentHash: string;
  mimeType: string;
}

/**
 * predict on a worker: claims the Prediction row, gathers its images (the dataset images asked for, read from the
 * file store, and the images of its uploaded zip, stored there), scores them with the run's checkpoint through the
 * pipeline's own explain step (models' predictSamples: an image of the run's test set gets its Result's score),
 * stores every map as results are stored, and writes the rows, consumes the upload and ends the job in one
 * transaction. Bad input fails the job with a message naming the file; a worker that stops hands it back.
 */
export async function handlePredictionTicket(context: WorkerContext, predictionId: string): Promise<void> {
  const { prisma, store, config } = context;
  const row = await prisma.prediction.findUnique({ where: { id: predictionId }, include: { createdBy: true } });
  if (!row) return;
  const announce = () => context.publish(Topic.PREDICTION_PROGRESS, predictionId, { predictionId });
  const job = await TrackedJob.claim(context, 'prediction', row, announce);
  if (!job) return;
  context.running.set(predictionId, { abort: () => job.lease.abort() });
  const files = new FileLease(prisma, store);
  let claim: UploadClaim | null = null;
  try {
    const out = runOutputFolder(store, row.runId);
    job.report(0.01, 'loading the model', true);
    // The worker's own device: the run's may have been a GPU this worker lacks.
    const run = await openTrainedRun(out, { device: 'auto' });

    const subjects: Subject[] = [];
    if (row.imageIds.length > 0) {
      const images = await prisma.image.findMany({ where: { id: { in: row.imageIds } } });
      const byId = new Map(images.map((image) => [image.id, image]));
      for (const id of row.imageIds) {
        const image = byId.get(id);
        if (!image) throw new PredictionError(`image ${id} was deleted after the prediction was asked for`);
        subjects.push({
          id: `image:${image.id}`,
          imageId: image.id,
          name: image.name,
          contentHash: image.contentHash,
          mimeType: image.mimeType,
          source: { kind: 'file', path: store.pathOf(image.contentHash) },
          width: image.width,
          height: image.height,
          channels: image.channels === 3 ? 3 : 1,
        });
      }
    }
    if (row.uploadId) {
      if (!row.createdBy) throw new PredictionError('the user who asked for this prediction no longer has an account');
      const uploads = new UploadService(prisma, store, config.limits.maxUploadBytes);
      try {
        claim = await uploads.claim(asCreator(row.createdBy), row.uploadId);
      } catch (error) {
        // An earlier attempt that died still holds the upload until its claim lapses: wait for it.
        if (error instanceof FailedPreconditionError && /being imported by another/.test(error.message)) {
          await job.handBack('waiting for the upload (an earlier attempt still holds it)', 60);
          return;
        }
        throw error;
      }
      job.report(0.02, `unpacking ${row.fileName ?? 'the zip'}`, true);
      subjects.push(...(await uploadedImages(claim, row.fileName ?? 'the zip', files, config.limits)));
    }
    if (subjects.length === 0) throw new PredictionError('nothing to score: no images were given');

    const size = run.config.model.imageSize;
    const stored = new Map<string, { mapKeys: StoredMap[]; reconstructionKey: string }>();
    job.report(0.05, `scoring ${subjects.length} images`, true);
    const scored = await predictSamples(run, subjects, {
      signal: job.signal,
      onImages: async (images) => {
        for (const image of images) {
          const mapKeys: StoredMap[] = [];
          for (const mapType of run.mapTypes) {
            const data = image.maps[mapType]!;
            mapKeys.push({ mapType, key: await files.put(encodeScoreMap({ width: size, height: size, data })) });
          }
          const reconstructionKey = await files.put(
            await reconstructionPng(image.reconstruction, run.config.model.channels, size),
          );
          stored.set(image.id, { mapKeys, reconstructionKey });
        }
      },
      onProgress: (event) => {
        if (event.type === 'explain')
          job.report(0.05 + 0.9 * (event.done / event.total), `scored ${event.done} of ${event.total} images`);
      },
    });
    job.signal.throwIfAborted();
    job.report(0.97, `saving ${scored.length} scores`, true);
    const rows: Prisma.PredictionImageCreateManyInput[] = scored.map((image, position) => {
      const subject = subjects[position]!;
      const files = stored.get(image.id)!;
      return {
        predictionId,
        position,
        imageId: subject.imageId,
        name: subject.name,
        contentHash: subject.contentHash,
        mimeType: subject.mimeType,
        width: subject.width,
        height: subject.height,
        score: image.score,
        scores: image.scores,
        mapKeys: files.mapKeys,
        reconstructionKey: files.reconstructionKey,
      };
    });
    const done = await prisma.$transaction(async (tx) => {
      await files.commit(tx);
      await claim?.consume(tx);
      // Rows of an attempt that died while writing are replaced, not doubled.
      await tx.predictionImage.deleteMany({ where: { predictionId } });
      await tx.predictionImage.createMany({ data: rows });
      return job.succeed({ imageCount: rows.length }, tx);
    });
    if (!done) context.log(`prediction ${predictionId}: another worker took it over`);
    else context.log(`prediction ${predictionId}: ${rows.length} images scored with run ${row.runId}`);
  } catch (error) {
    if (job.lease.lost) {
      context.log(`prediction ${predictionId}: taken over by another worker`);
    } else if (context.stopping || error instanceof HandedBack) {
      await job.handBack('waiting for a worker (the previous one stopped)');
    } else {
      const message = error instanceof Error ? error.message : String(error);
      context.log(`prediction ${predictionId}: failed (${message})`);
      await job.fail(message);
    }
  } finally {
    await files.release();
    await claim?.release();
    context.running.delete(predictionId);
    await job.release();
  }
}

/**
 * The images of the claimed zip: unpacked (checked like dataset imports: paths, links, sizes), every image file
 * in it (subfolders too) read for its size, stored in the file store under the job's lease. Named by their path
 * in the zip; a zip without images, or an image that cannot be read or is too large, fails naming the file.
 */
async function uploadedImages(
  claim: UploadClaim,
  fileName: string,
  files: FileLease,
  limits: { maxZipEntries: number; maxUnzippedBytes: number; maxImagePixels: number },
): Promise<Subject[]> {
  try {
    await extractZip(claim.file, claim.folder, {
      maxEntries: limits.maxZipEntries,
      maxUnzippedBytes: limits.maxUnzippedBytes,
    });
  } catch (error) {
    if (error instanceof ZipError) throw new PredictionError(`${fileName}: ${error.message}`);
    throw error;
  }
  let found: PredictSample[];
  try {
    found = await listPredictImages(claim.folder);
  } catch (error) {
    // The reader names the unpacked copy's path: the zip's own names are what the user knows.
    if (error instanceof DatasetError) {
      const named = error.message.split(`${claim.folder}${path.sep}`).join(`${fileName}: `);
      throw new PredictionError(named.split(claim.folder).join(fileName));
    }
    throw error;
  }
  const subjects: Subject[] = [];
  for (const sample of found) {
    if (sample.id.split('/').some((part) => part === '__MACOSX')) continue;
    if (sample.width * sample.height > limits.maxImagePixels) {
      throw new PredictionError(
        `${fileName}: ${sample.id} is ${sample.width} x ${sample.height} pixels; the limit is ${limits.maxImagePixels} (VAD_MAX_IMAGE_PIXELS)`,
      );
    }
    const bytes = await readFile(path.join(claim.folder, sample.id));
    subjects.push({
      ...sample,
      id: `upload:${sample.id}`,
      imageId: null,
      name: sample.id,
      contentHash: await files.put(bytes),
      mimeType: MIME_TYPES[path.extname(sample.id).toLowerCase()] ?? 'application/octet-stream',
    });
  }
  if (subjects.length === 0) throw new PredictionError(`${fileName}: no images to score in the zip`);
  return subjects;
}

/** The upload is claimed as the user who asked for the prediction (its uploader), with their current role. */
function asCreator(user: User): Viewer {
  return {
    user: { id: user.id, email: user.email, name: user.name, role: user.role },
    credential: { kind: 'session', sessionId: 'prediction-job' },
  };
}
