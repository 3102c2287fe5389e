import { randomUUID } from 'node:crypto';
import { realpath, rm, stat } from 'node:fs/promises';
import path from 'node:path';

import { Prisma, type Dataset, type JobStatus, type PrismaClient } from '@prisma/client';

import type { Viewer } from '../../auth/viewer';
import type { Config } from '../../config';
import { removeDeletedFiles } from '../../files/removal';
import { FileLease } from '../../files/leases';
import { resultFileKeys } from '../../files/result-maps';
import type { FileStore } from '../../files/store';
import type { UploadClaim, UploadService } from '../../files/upload';
import { extractZip, ZipError } from '../../files/zip';
import { keysetPage, type ConnectionValue, type PageRequest } from '../../graphql/connection';
import { BadInputError, ConflictError, FailedPreconditionError, NotFoundError } from '../../graphql/errors';
import { checkId, isUuid } from '../../graphql/ids';
import { withoutServerPaths } from '../../graphql/server-paths';
import { emitDatasetImportEvent } from '../webhook/webhook.events';
import { readDatasetFolder, type ImportedData } from './dataset.import';
import {
  DATASET_NAME,
  DATASET_NAME_RULE,
  type CreateDatasetInput,
  type DatasetOrder,
  type ImportDatasetInput,
  type RenameDatasetInput,
} from './dataset.input';

/** The column and direction of each dataset order (the id breaks ties in the same direction). */
const ORDERS = {
  NAME_ASC: ['name', 'asc'],
  NAME_DESC: ['name', 'desc'],
  CREATED_AT_DESC: ['createdAt', 'desc'],
  CREATED_AT_ASC: ['createdAt', 'asc'],
  IMAGE_COUNT_DESC: ['imageCount', 'desc'],
  IMAGE_COUNT_ASC: ['imageCount', 'asc'],
} as const satisfies Record<DatasetOrder, readonly ['name' | 'createdAt' | 'imageCount', 'asc' | 'desc']>;

/** Longest search text: names hold at most 100 characters. */
const MAX_SEARCH = 100;

/** What datasetNameAvailable answers. */
export interface DatasetNameCheck {
  name: string;
  available: boolean;
  reason: string | null;
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
}

function checkSource(input: ImportDatasetInput): void {
  if (Boolean(input.path) === Boolean(input.uploadId)) {
    throw new BadInputError('give exactly one of path (a server folder) or uploadId (from POST /uploads)');
  }
}

/** The import roots with their links resolved (a root that does not exist holds nothing to import). */
async function realRoots(roots: string[]): Promise<string[]> {
  const resolved = await Promise.all(roots.map((root) => realpath(root).catch(() => null)));
  return resolved.filter((root): root is string => root !== null);
}

/** How far an import is: a queued one (dataset-import.job.ts) turns these into its progress. */
export type ImportStep =
  | { step: 'unpacking'; source: string }
  | { step: 'reading'; done: number; total: number }
  | { step: 'saving'; images: number };

/** What a queued import adds to the import importDataset does. */
export interface ImportHooks {
  onProgress?: (step: ImportStep) => void;
  /** Runs in the transaction that writes the dataset (a job ends itself there, or the dataset is not written). */
  inTransaction?: (tx: Prisma.TransactionClient, dataset: Dataset) => Promise<void>;
  /**
   * Whether a failure sends the dataset_import.failed event here; a job sends it when it ends FAILED instead (one
   * handed back to the queue by a stopping worker has not failed).
   */
  failureEvent?: boolean;
}

export class DatasetService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly store: FileStore,
    private readonly uploads: UploadService,
    private readonly config: Config,
  ) {}

  async byId(id: string): Promise<Dataset | null> {
    if (!isUuid(id)) return null;
    return this.prisma.dataset.findUnique({ where: { id } });
  }

  /** A page of datasets in one of the orders, narrowed to names containing `search` (any case) when given. */
  async list(page: PageRequest, order: DatasetOrder, search?: string | null): Promise<ConnectionValue<Dataset>> {
    const [field, direction] = ORDERS[order];
    const text = search?.trim() ?? '';
    if (text.length > MAX_SEARCH) {
      throw new BadInputError(`search must be at most ${MAX_SEARCH} characters, got ${text.length}`, 'search');
    }
    return keysetPage(this.prisma.dataset, {
      where: text ? { name: { contains: text, mode: 'insensitive' } } : {},
      ...page,
      field,
      direction,
      maxPageSize: this.config.limits.maxPageSize,
      numeric: field === 'imageCount',
    });
  }

  /**
   * Whether a new dataset could take this name now: the import form asks as the user types and again before it
   * uploads, so that a taken name is refused before the upload rather than after it (the import still refuses
   * at its end, when another dataset took the name meanwhile).
   */
  async nameAvailable(name: string): Promise<DatasetNameCheck> {
    const trimmed = name.trim();
    if (trimmed.length < 1 || trimmed.length > 100) {
      return { name: trimmed, available: false, reason: 'name must be 1 to 100 characters long' };
    }
    if (!DATASET_NAME.test(trimmed)) return { name: trimmed, available: false, reason: DATASET_NAME_RULE };
    const taken = await this.prisma.dataset.findUnique({ where: { name: trimmed }, select: { id: true } });
    return taken
      ? { name: trimmed, available: false, reason: `a dataset named "${trimmed}" already exists` }
      : { name: trimmed, available: true, reason: null };
  }

  /** Gives a dataset another unique name; nothing else changes (runs and files keep pointing at its id). */
  async rename(input: RenameDatasetInput): Promise<Dataset> {
    checkId(input.id, 'Dataset');
    const name = input.name.trim();
    try {
      const renamed = await this.prisma.dataset.updateMany({ where: { id: input.id }, data: { name } });
      if (renamed.count === 0) throw new NotFoundError('Dataset', input.id);
    } catch (error) {
      if (isUniqueViolation(error))
        throw new ConflictError(`a dataset named "${name}" already exists`, { field: 'name' });
      throw error;
    }
    return this.prisma.dataset.findUniqueOrThrow({ where: { id: input.id } });
  }

  async create(viewer: Viewer, input: CreateDatasetInput): Promise<Dataset> {
    const name = input.name.trim();
    try {
      return await this.prisma.dataset.create({
        data: {
          name,
          description: input.description ?? '',
          category: input.category?.trim() || name,
          layout: 'EMPTY',
          channels: 1,
          createdById: viewer.user.id,
        },
      });
    } catch (error) {
      if (isUniqueViolation(error))
        throw new ConflictError(`a dataset named "${name}" already exists`, { field: 'name' });
      throw error;
    }
  }

  /**
   * Imports a server folder or an uploaded zip: every file is checked and stored first, under a lease that keeps
   * garbage collection off it (a dataset deleted meanwhile may have held the same files), then all rows are
   * written in one transaction that also gives the lease up and consumes the upload, so a failed import leaves
   * no dataset and no unreferenced file behind, and its upload can be imported again.
   */
  async import(viewer: Viewer, input: ImportDatasetInput, hooks: ImportHooks = {}): Promise<Dataset> {
    checkSource(input);
    const target = input.datasetId ? await this.emptyDataset(input.datasetId) : null;
    const datasetId = target?.id ?? randomUUID();
    const claim = input.uploadId ? await this.uploads.claim(viewer, input.uploadId) : null;
    const files = new FileLease(this.prisma, this.store);
    try {
      const onImage = (done: number, total: number) => hooks.onProgress?.({ step: 'reading', done, total });
      if (claim) hooks.onProgress?.({ step: 'unpacking', source: claim.fileName });
      const imported = claim
        ? await this.readUpload(claim, datasetId, files, onImage)
        : await this.readServerFolder(input.path!, datasetId, files, onImage);
      hooks.onProgress?.({ step: 'saving', images: imported.images.length });
      return await this.write(viewer, input, target, datasetId, imported, claim, files, hooks);
    } catch (error) {
      if (hooks.failureEvent !== false) {
        const name = (input.name ?? target?.name ?? '').trim();
        const message = withoutServerPaths((error as Error).message);
        await emitDatasetImportEvent(this.prisma, { id: datasetId, name }, message);
      }
      throw error;
    } finally {
      await files.release();
      await claim?.release();
    }
  }

  /** The imported rows in one transaction, which consumes the upload and gives the file lease up with them. */
  private async write(
    viewer: Viewer,
    input: ImportDatasetInput,
    target: Dataset | null,
    datasetId: string,
    imported: ImportedData,
    claim: UploadClaim | null,
    files: FileLease,
    hooks: ImportHooks,
  ): Promise<Dataset> {
    const name = (input.name ?? target?.name ?? imported.category).trim();
    const counts = {
      imageCount: imported.images.length,
      trainCount: imported.images.filter((image) => image.split === 'TRAIN').length,
      testCount: imported.images.filter((image) => image.split === 'TEST').length,
      normalCount: imported.images.filter((image) => image.label === 'NORMAL').length,
      anomalousCount: imported.images.filter((image) => image.label === 'ANOMALOUS').length,
      unlabeledCount: imported.images.filter((image) => image.label === 'UNLABELED').length,
    };
    const fields = {
      name,
      description: input.description ?? target?.description ?? '',
      layout: imported.layout,
      category: target?.category ?? imported.category,
      channels: imported.channels,
      defectTypes: imported.defectTypes,
      warnings: imported.warnings,
      ...counts,
    };
    try {
      return await this.prisma.$transaction(
        async (tx) => {
          let dataset: Dataset;
          if (target) {
            // Only while still empty: two imports racing into one dataset must not both succeed.
            const claimed = await tx.dataset.updateMany({ where: { id: target.id, imageCount: 0 }, data: fields });
            if (claimed.count === 0) throw new ConflictError(`dataset ${target.name} is no longer empty`);
            dataset = await tx.dataset.findUniqueOrThrow({ where: { id: target.id } });
          } else {
            dataset = await tx.dataset.create({ data: { id: datasetId, ...fields, createdById: viewer.user.id } });
          }
          await tx.image.createMany({ data: imported.images });
          if (imported.masks.length > 0) await tx.mask.createMany({ data: imported.masks });
          await claim?.consume(tx);
          await files.commit(tx);
          await hooks.inTransaction?.(tx, dataset);
          await emitDatasetImportEvent(tx, dataset);
          return dataset;
        },
        { timeout: 120_000 },
      );
    } catch (error) {
      if (isUniqueViolation(error))
        throw new ConflictError(`a dataset named "${name}" already exists`, { field: 'name' });
      throw error;
    }
  }

  private async emptyDataset(id: string): Promise<Dataset> {
    const dataset = await this.byId(id);
    if (!dataset) throw new NotFoundError('Dataset', id);
    if (dataset.imageCount > 0) {
      throw new FailedPreconditionError(`dataset ${dataset.name} already holds images: import into an empty dataset`);
    }
    return dataset;
  }

  /**
   * What startDatasetImport checks before it queues the import, with importDataset's own errors: the source (a
   * folder it may read, or an upload the viewer may import), the dataset to fill, and a name already taken. The
   * files are read by the worker. Answers how messages name the source.
   */
  async checkImport(viewer: Viewer, input: ImportDatasetInput): Promise<{ source: string }> {
    checkSource(input);
    const target = input.datasetId ? await this.emptyDataset(input.datasetId) : null;
    const name = input.name?.trim();
    if (name && name !== target?.name) {
      const taken = await this.prisma.dataset.findUnique({ where: { name }, select: { id: true } });
      if (taken) throw new ConflictError(`a dataset named "${name}" already exists`, { field: 'name' });
    }
    if (input.path) return { source: path.basename(await this.serverFolder(input.path)) };
    const claim = await this.uploads.claim(viewer, input.uploadId!);
    await claim.release();
    return { source: claim.fileName };
  }

  private async readServerFolder(
    folder: string,
    datasetId: string,
    files: FileLease,
    onImage: (done: number, total: number) => void,
  ): Promise<ImportedData> {
    const real = await this.serverFolder(folder);
    return readDatasetFolder(
      { path: real, shownAs: path.basename(real) },
      datasetId,
      files,
      this.config.limits.maxImagePixels,
      onImage,
    );
  }

  /** The folder with its links resolved, if imports may read it; else BAD_USER_INPUT on `path`. */
  private async serverFolder(folder: string): Promise<string> {
    if (!path.isAbsolute(folder)) throw new BadInputError('path must be an absolute folder path on the server', 'path');
    const roots = this.config.importRoots;
    const outside = () =>
      new BadInputError(
        `${folder} is outside the folders imports may read: ${roots.join(', ')} (VAD_IMPORT_ROOTS); ` +
          'put the dataset in one of them, or upload it as a zip',
        'path',
      );
    const within = (real: string, rootList: string[]) =>
      rootList.some((root) => real === root || real.startsWith(root.endsWith(path.sep) ? root : root + path.sep));
    // Refused before the folder is looked at, so that the answer tells nothing about folders outside the roots.
    if (!within(path.resolve(folder), roots) && !within(path.resolve(folder), await realRoots(roots))) throw outside();
    let real: string;
    try {
      real = await realpath(folder);
      if (!(await stat(real)).isDirectory()) throw new Error('not a folder');
    } catch {
      throw new BadInputError(`${folder} is not a folder the server can read`, 'path');
    }
    // Links inside a root may point out of it: what counts is where the folder really is.
    if (!within(real, await realRoots(roots))) throw outside();
    return real;
  }

  private async readUpload(
    claim: UploadClaim,
    datasetId: string,
    files: FileLease,
    onImage: (done: number, total: number) => void,
  ): Promise<ImportedData> {
    try {
      await extractZip(claim.file, claim.folder, {
        maxEntries: this.config.limits.maxZipEntries,
        maxUnzippedBytes: this.config.limits.maxUnzippedBytes,
      });
      return await readDatasetFolder(
        { path: claim.folder, shownAs: claim.fileName },
        datasetId,
        files,
        this.config.limits.maxImagePixels,
        onImage,
      );
    } catch (error) {
      if (error instanceof ZipError) throw new BadInputError(error.message, 'uploadId');
      throw error;
    } finally {
      // Read or refused, the unpacked copy is no longer needed: the zip stays until the import commits.
      await rm(claim.folder, { recursive: true, force: true });
    }
  }

  /** Deletes a dataset with its images, masks, runs and results, then the files nothing else uses. */
  async delete(id: string): Promise<boolean> {
    checkId(id, 'Dataset');
    const dataset = await this.prisma.dataset.findUnique({ where: { id } });
    if (!dataset) throw new NotFoundError('Dataset', id);
    const active = await this.prisma.run.count({ where: { datasetId: id, status: { in: ['QUEUED', 'RUNNING'] } } });
    if (active > 0) {
      throw new FailedPreconditionError(
        `dataset ${dataset.name} has ${active} queued or running run(s): cancel them first`,
      );
    }
    // A worker holds these; deleting under it would lose what it is writing.
    const pending = { status: { in: ['QUEUED', 'RUNNING'] as JobStatus[] } };
    const jobs = await Promise.all([
      this.prisma.evaluation.count({ where: { run: { datasetId: id }, ...pending } }),
      this.prisma.export.count({ where: { datasetId: id, ...pending } }),
      this.prisma.prediction.count({ where: { run: { datasetId: id }, ...pending } }),
      this.prisma.maskImport.count({ where: { datasetId: id, ...pending } }),
      this.prisma.datasetImport.count({ where: { intoDatasetId: id, ...pending } }),
    ]);
    if (jobs.some((count) => count > 0)) {
      const [evaluations, exports, predictions, imports, fills] = jobs;
      throw new FailedPreconditionError(
        `dataset ${dataset.name} has ${evaluations} evaluation(s), ${exports} export(s), ${predictions} ` +
          `prediction(s), ${imports} mask import(s) and ${fills} dataset import(s) into it queued or running: ` +
          'wait for them to end',
      );
    }
    const [images, masks, runs, predicted, zips] = await Promise.all([
      this.prisma.image.findMany({ where: { datasetId: id }, select: { contentHash: true } }),
      this.prisma.mask.findMany({ where: { datasetId: id }, select: { contentHash: true } }),
      this.prisma.run.findMany({ where: { datasetId: id }, select: { id: true } }),
      this.prisma.predictionImage.findMany({
        where: { prediction: { run: { datasetId: id } } },
        select: { contentHash: true, mapKeys: true, reconstructionKey: true },
      }),
      this.prisma.export.findMany({ where: { datasetId: id }, select: { id: true } }),
    ]);
    const results = await this.prisma.result.findMany({
      where: { runId: { in: runs.map((run) => run.id) } },
      select: { mapKeys: true, reconstructionKey: true },
    });
    await this.prisma.dataset.delete({ where: { id } });
    const keys = [
      ...images.map((row) => row.contentHash),
      ...masks.map((row) => row.contentHash),
      ...results.flatMap(resultFileKeys),
      ...predicted.flatMap((image) => [image.contentHash, ...resultFileKeys(image)]),
    ];
    await removeDeletedFiles(this.prisma, this.store, {
      keys,
      runIds: runs.map((run) => run.id),
      exportIds: zips.map((zip) => zip.id),
    });
    return true;
  }
}
