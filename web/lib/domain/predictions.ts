import type { GraphqlClient } from '../graphql/client';
import { ApiError } from '../graphql/client';
import {
  PredictDocument,
  PredictionDocument,
  PredictPickerDatasetsDocument,
  PredictPickerImagesDocument,
  type PredictedImageViewFragment,
  type PredictionJobFragment,
} from '../graphql/generated';
import { storedZip } from '../zip';
import { uploadZip } from './datasets';

export type PredictionJob = PredictionJobFragment & { images?: PredictedImage[] };
export type PredictedImage = PredictedImageViewFragment;

/** Images of a dataset offered for picking: a first page, by name. */
export const PICKER_PAGE = 60;

/** Extensions the worker scores (the pipeline's readers: PNG, JPEG, BMP, TIFF). */
const IMAGE_FILE = /\.(png|jpe?g|bmp|tiff?)$/i;

export function isScorableFile(name: string): boolean {
  return IMAGE_FILE.test(name);
}

/** Queues the scoring of images (of datasets, by id) and/or of an uploaded zip with a succeeded run's model. */
export async function startPrediction(
  client: GraphqlClient,
  runId: string,
  images: { imageIds?: string[]; uploadId?: string | null },
): Promise<PredictionJob> {
  return (
    await client.request(PredictDocument, {
      runId,
      imageIds: images.imageIds ?? null,
      uploadId: images.uploadId ?? null,
    })
  ).predict;
}

export async function getPrediction(client: GraphqlClient, id: string): Promise<PredictionJob> {
  const prediction = (await client.request(PredictionDocument, { id })).prediction;
  if (!prediction) throw new ApiError(`Prediction ${id} does not exist`, 'NOT_FOUND');
  return prediction;
}

/**
 * Image files picked in the browser, as one zip sent to POST /uploads (the upload predict reads); files the worker
 * could not score are refused here by name, before anything is sent.
 */
export async function uploadImages(
  files: readonly File[],
  onProgress: (fraction: number) => void,
  signal?: AbortSignal,
): Promise<{ id: string; byteSize: number }> {
  if (files.length === 0) throw new ApiError('Pick at least one image', 'BAD_USER_INPUT');
  const refused = files.filter((file) => !isScorableFile(file.name));
  if (refused.length > 0)
    throw new ApiError(`Not an image the model reads (PNG, JPEG, BMP, TIFF): ${refused[0]!.name}`, 'BAD_USER_INPUT');
  const entries = await Promise.all(
    files.map(async (file, i) => ({
      // Two files of one name (from two folders) keep both: the second is numbered.
      name: files.findIndex((other) => other.name === file.name) === i ? file.name : `${i + 1}-${file.name}`,
      data: new Uint8Array(await file.arrayBuffer()),
    })),
  );
  const zip = storedZip(entries);
  const blob = Object.assign(new Blob([zip as BlobPart], { type: 'application/zip' }), { name: 'images.zip' });
  return uploadZip(blob, onProgress, signal);
}

/** Datasets to pick images from, by name. */
export async function pickerDatasets(client: GraphqlClient): Promise<{ id: string; name: string }[]> {
  return (await client.request(PredictPickerDatasetsDocument, {})).datasets.edges.map((edge) => edge.node);
}

/** A dataset's first images by name, with thumbnails, to pick from. */
export async function pickerImages(
  client: GraphqlClient,
  datasetId: string,
): Promise<{ total: number; images: { id: string; name: string; thumbnailUrl: string }[] }> {
  const dataset = (await client.request(PredictPickerImagesDocument, { datasetId, first: PICKER_PAGE })).dataset;
  if (!dataset) throw new ApiError(`Dataset ${datasetId} does not exist`, 'NOT_FOUND');
  return { total: dataset.images.totalCount, images: dataset.images.edges.map((edge) => edge.node) };
}

/** A predicted image's verdict in words, with its score. */
export function predictionVerdictText(image: PredictedImage): string {
  const score = image.score.toPrecision(4);
  if (image.verdict === null || image.verdict === undefined) return `score ${score} (no threshold set)`;
  return `${image.verdict === 'ANOMALOUS' ? 'Anomalous' : 'Normal'}, score ${score}`;
}
