// Keeping datasets and runs in order: search and sort of the dataset list (kept in the URL), renaming and
// deleting datasets and runs, the dataset name check before an upload, and the devices live workers offer.
import type { GraphqlClient } from '../graphql/client';
import {
  DatasetDeletionDocument,
  DatasetNameAvailableDocument,
  DeleteDatasetDocument,
  DeleteRunDocument,
  RenameDatasetDocument,
  RenameRunDocument,
  WorkerDevicesDocument,
  type DatasetDeletionQuery,
  type DatasetNameAvailableQuery,
  type DatasetOrder,
  type DeviceKind,
  type RunStatus,
  type WorkerDevicesQuery,
} from '../graphql/generated';

// ---- The dataset list's search and sort, as they travel in the URL (?q=...&sort=...).

export const DATASET_SORTS: readonly { value: DatasetOrder; label: string }[] = [
  { value: 'NAME_ASC', label: 'Name, A to Z' },
  { value: 'NAME_DESC', label: 'Name, Z to A' },
  { value: 'CREATED_AT_DESC', label: 'Newest first' },
  { value: 'CREATED_AT_ASC', label: 'Oldest first' },
  { value: 'IMAGE_COUNT_DESC', label: 'Most images' },
  { value: 'IMAGE_COUNT_ASC', label: 'Fewest images' },
];

export const DEFAULT_DATASET_SORT: DatasetOrder = 'NAME_ASC';

/** The API's limit on search text. */
export const MAX_SEARCH = 100;

export interface DatasetListQuery {
  search: string;
  orderBy: DatasetOrder;
}

/** Reads the list's search and sort from search params; unknown sorts fall back to name order. */
export function parseDatasetListQuery(params: Record<string, string | string[] | undefined>): DatasetListQuery {
  const search = typeof params.q === 'string' ? params.q.trim().slice(0, MAX_SEARCH) : '';
  const sort = typeof params.sort === 'string' ? params.sort : '';
  const known = DATASET_SORTS.find((entry) => entry.value === sort);
  return { search, orderBy: known?.value ?? DEFAULT_DATASET_SORT };
}

/** The search params of a list query: only what differs from the defaults, so a plain list has a plain URL. */
export function datasetListToSearch(query: DatasetListQuery): URLSearchParams {
  const search = new URLSearchParams();
  if (query.search.trim()) search.set('q', query.search.trim());
  if (query.orderBy !== DEFAULT_DATASET_SORT) search.set('sort', query.orderBy);
  return search;
}

// ---- Dataset names, renaming and deletion.

export type NameCheck = DatasetNameAvailableQuery['datasetNameAvailable'];

/** Whether an import could take this name now; an empty name is left to the import (the folder's category). */
export async function checkDatasetName(client: GraphqlClient, name: string): Promise<NameCheck | null> {
  if (!name.trim()) return null;
  return (await client.request(DatasetNameAvailableDocument, { name })).datasetNameAvailable;
}

export async function renameDataset(client: GraphqlClient, id: string, name: string) {
  return (await client.request(RenameDatasetDocument, { input: { id, name: name.trim() } })).renameDataset;
}

export type DatasetDeletion = NonNullable<DatasetDeletionQuery['dataset']>;

export async function datasetDeletion(client: GraphqlClient, id: string): Promise<DatasetDeletion | null> {
  return (await client.request(DatasetDeletionDocument, { id })).dataset;
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString('en')} ${count === 1 ? one : many}`;
}

/**
 * What deleting a dataset takes with it, in words for the confirmation, or why it cannot be deleted now
 * (queued or running runs: the API refuses until they are cancelled, and says so itself for a job still under
 * way, such as an export).
 */
export function describeDatasetDeletion(dataset: DatasetDeletion): { blocked: string | null; consequence: string } {
  const blocked =
    dataset.activeRuns.totalCount > 0
      ? `${plural(dataset.activeRuns.totalCount, 'run')} of this dataset ${dataset.activeRuns.totalCount === 1 ? 'is' : 'are'} queued or running: cancel ${dataset.activeRuns.totalCount === 1 ? 'it' : 'them'} first.`
      : null;
  const parts = [
    plural(dataset.counts.images, 'image'),
    plural(dataset.withMask.totalCount, 'annotated image'),
    `${plural(dataset.runs.totalCount, 'run')} with ${dataset.runs.totalCount === 1 ? 'its' : 'their'} results, evaluations and predictions`,
  ];
  return {
    blocked,
    consequence: `Deleting ${dataset.name} also deletes its ${parts.join(', ')}, and its exports. Files no other dataset uses are removed. This cannot be undone.`,
  };
}

export async function deleteDataset(client: GraphqlClient, id: string): Promise<void> {
  await client.request(DeleteDatasetDocument, { id });
}

// ---- Runs.

export async function renameRun(client: GraphqlClient, id: string, name: string) {
  return (await client.request(RenameRunDocument, { id, name: name.trim() })).renameRun;
}

export async function deleteRun(client: GraphqlClient, id: string): Promise<void> {
  await client.request(DeleteRunDocument, { id });
}

/** Why a run cannot be deleted now, or null: the API refuses queued and running runs until they are cancelled. */
export function whyRunNotDeletable(status: RunStatus): string | null {
  return status === 'QUEUED' || status === 'RUNNING' ? `The run is ${status.toLowerCase()}: cancel it first.` : null;
}

const ENDED: readonly RunStatus[] = ['SUCCEEDED', 'FAILED', 'CANCELLED'];

/**
 * The run state to show when an update arrives: a run never leaves an ended state, so an update that would take
 * it back to queued or running is an older read that arrived late (a poll sent before the last event) and is
 * dropped, rather than showing "queued" on a run that has finished.
 */
export function laterRunState<T extends { status: RunStatus }>(shown: T, update: T): T {
  return ENDED.includes(shown.status) && !ENDED.includes(update.status) ? shown : update;
}

// ---- Devices.

export type WorkerDevice = WorkerDevicesQuery['workerDevices'][number];

export async function workerDevices(client: GraphqlClient): Promise<WorkerDevice[]> {
  return (await client.request(WorkerDevicesDocument)).workerDevices;
}

/**
 * The device choices the launch form offers: auto and the CPU always (a run on them waits in the queue while no
 * worker runs), a GPU only when a live worker has one, since the API refuses it otherwise.
 */
export function deviceChoices(devices: readonly WorkerDevice[]): DeviceKind[] {
  const choices: DeviceKind[] = ['AUTO', 'CPU'];
  if (devices.some((entry) => entry.device === 'cuda')) choices.push('CUDA');
  return choices;
}

/** A note under the device field: which workers are there, or that none is. */
export function describeWorkerDevices(devices: readonly WorkerDevice[]): string {
  if (devices.length === 0) return 'No worker is running now: the run waits in the queue until one starts.';
  const cpu = devices.find((entry) => entry.device === 'cpu');
  const cuda = devices.find((entry) => entry.device === 'cuda');
  const workers = plural(cpu?.workers ?? 0, 'live worker');
  return cuda
    ? `${workers}, ${cuda.workers.toLocaleString('en')} with a GPU (up to ${plural(cuda.deviceCount, 'CUDA device')} each).`
    : `${workers}, CPU only: no GPU to offer.`;
}
