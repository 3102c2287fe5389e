import { ApiError, type GraphqlClient } from '../graphql/client';
import {
  ExportDocument,
  ExportMasksDocument,
  ExportsDocument,
  ExportRunDocument,
  ImportMasksDocument,
  MaskImportDocument,
  type ExportJobFragment,
  type ExportKind,
  type ExportsQueryVariables,
  type JobStatus,
  type MaskImportFormat,
  type MaskImportJobFragment,
  type MaskSelection,
  type PastExportFragment,
} from '../graphql/generated';
import { bytes, count } from '../format';

export type ExportJob = ExportJobFragment;
export type PastExport = PastExportFragment;
export type MaskImportJob = MaskImportJobFragment;
export type { MaskImportFormat, MaskSelection };

/** How often a job is asked about while it runs: jobs take seconds, and each poll is one small query. */
export const POLL_INTERVAL_MS = 1000;

/** A job that has ended: nothing about it changes any more. */
export function jobEnded(job: { status: JobStatus }): boolean {
  return job.status === 'SUCCEEDED' || job.status === 'FAILED';
}

/** Queues a zip of a succeeded run (admins). */
export async function startRunExport(client: GraphqlClient, runId: string): Promise<ExportJob> {
  return (await client.request(ExportRunDocument, { runId })).exportRun;
}

/** Queues a zip of a dataset's masks (admins): the approved versions, or each image's latest. */
export async function startMaskExport(
  client: GraphqlClient,
  datasetId: string,
  which: MaskSelection,
): Promise<ExportJob> {
  return (await client.request(ExportMasksDocument, { datasetId, which })).exportMasks;
}

export interface MaskImportRequest {
  datasetId: string;
  /** The zip's id from POST /uploads (uploadZip in ./datasets). */
  uploadId: string;
  /** The versions land APPROVED (ground truth at once); false: SUBMITTED, for review. */
  approve: boolean;
  /** Absent: the API reads the zip's PNG masks if it has some, else its COCO file. */
  format?: MaskImportFormat | null;
}

/** Queues the import of an uploaded zip of masks (admins). */
export async function startMaskImport(client: GraphqlClient, request: MaskImportRequest): Promise<MaskImportJob> {
  return (
    await client.request(ImportMasksDocument, {
      datasetId: request.datasetId,
      uploadId: request.uploadId,
      approve: request.approve,
      format: request.format ?? null,
    })
  ).importMasks;
}

export async function getExport(client: GraphqlClient, id: string): Promise<ExportJob> {
  const job = (await client.request(ExportDocument, { id })).export;
  if (!job) throw new ApiError(`Export ${id} does not exist`, 'NOT_FOUND');
  return job;
}

export async function getMaskImport(client: GraphqlClient, id: string): Promise<MaskImportJob> {
  const job = (await client.request(MaskImportDocument, { id })).maskImport;
  if (!job) throw new ApiError(`Mask import ${id} does not exist`, 'NOT_FOUND');
  return job;
}

/** Waits `ms`, or less when `signal` aborts. */
function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * Asks about a job every `interval` ms, handing each answer to `onChange`, until it has ended (resolves with it)
 * or `signal` aborts (resolves with the last answer). Polling rather than the progress subscriptions, since a
 * job's page may be left and come back, and a lost socket would leave the bar frozen without a word.
 */
export async function followJob<J extends { status: JobStatus }>(
  first: J,
  read: () => Promise<J>,
  onChange: (job: J) => void,
  options: { signal?: AbortSignal; interval?: number } = {},
): Promise<J> {
  let job = first;
  onChange(job);
  while (!jobEnded(job) && !options.signal?.aborted) {
    await pause(options.interval ?? POLL_INTERVAL_MS, options.signal);
    if (options.signal?.aborted) break;
    job = await read();
    onChange(job);
  }
  return job;
}

export { appFileUrl } from '../file-url';

/** The name a download is saved under, saying what it holds. */
export function exportFileName(job: ExportJob, subject: string): string {
  const safe = subject.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '') || job.id.slice(0, 8);
  if (job.kind === 'RUN') return `run-${safe}.zip`;
  return `masks-${safe}-${(job.which ?? 'APPROVED').toLowerCase()}.zip`;
}

/** What a job is doing, for the line beside its progress bar. */
export function jobStatusText(job: { status: JobStatus; phase: string; error: string | null }): string {
  switch (job.status) {
    case 'QUEUED':
      return 'Waiting for a worker…';
    case 'RUNNING':
      return job.phase ? `${job.phase}…` : 'Working…';
    case 'FAILED':
      return job.error ? `Failed: ${job.error}` : 'Failed, without a reason given';
    case 'SUCCEEDED':
      return 'Done';
  }
}

/** What a finished export holds, in words: "12 files, 3.4 MB". */
export function exportSummary(job: ExportJob): string {
  const files = `${count(job.fileCount)} file${job.fileCount === 1 ? '' : 's'}`;
  return job.byteSize == null ? files : `${files}, ${bytes(job.byteSize)}`;
}

/** What a finished mask import did, in words. */
export function maskImportSummary(job: MaskImportJob): string {
  const versions = `${count(job.maskCount)} mask version${job.maskCount === 1 ? '' : 's'}`;
  const format = job.format ? ` from ${job.format === 'COCO' ? 'COCO JSON' : 'PNG masks'}` : '';
  return `Imported ${versions}${format} (${job.approve ? 'approved' : 'submitted for review'})`;
}

/** Which exports a list shows: a run's, or a dataset's of one kind. */
export interface ExportScope {
  runId?: string;
  datasetId?: string;
  kind?: ExportKind;
}

/** Where a page of past exports lies: the newest page, or the page after or before a cursor. */
export type ExportPageRequest = { first: number; after?: string } | { last: number; before: string };

export interface PastExportPage {
  exports: PastExport[];
  /** Cursors for the older page (after the last one shown) and the newer one (before the first); null at an end. */
  older: string | null;
  newer: string | null;
  total: number;
}

/** A page of past exports, newest first. */
export async function listExports(
  client: GraphqlClient,
  scope: ExportScope,
  page: ExportPageRequest,
): Promise<PastExportPage> {
  const variables: ExportsQueryVariables = { ...scope, ...page };
  const { exports } = await client.request(ExportsDocument, variables);
  return {
    exports: exports.edges.map((edge) => edge.node),
    older: exports.pageInfo.hasNextPage ? (exports.pageInfo.endCursor ?? null) : null,
    newer: exports.pageInfo.hasPreviousPage ? (exports.pageInfo.startCursor ?? null) : null,
    total: exports.totalCount,
  };
}

/** What became of a past export, in words, for its row in the list. */
export function pastExportState(job: PastExport): string {
  if (job.status === 'SUCCEEDED') return job.downloadUrl ? exportSummary(job) : 'Expired';
  return jobStatusText(job);
}
