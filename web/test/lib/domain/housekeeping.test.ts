import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  datasetListToSearch,
  describeDatasetDeletion,
  describeWorkerDevices,
  deviceChoices,
  laterRunState,
  parseDatasetListQuery,
  whyRunNotDeletable,
  type DatasetDeletion,
} from '../../../lib/domain/housekeeping';
import type { RunStatus } from '../../../lib/graphql/generated';

describe('the dataset list query in the URL', () => {
  it('reads search and sort, falling back to name order for an unknown sort', () => {
    assert.deepEqual(parseDatasetListQuery({ q: '  tile ', sort: 'IMAGE_COUNT_DESC' }), {
      search: 'tile',
      orderBy: 'IMAGE_COUNT_DESC',
    });
    assert.deepEqual(parseDatasetListQuery({ sort: 'BY_MOOD', q: ['a', 'b'] }), { search: '', orderBy: 'NAME_ASC' });
    assert.equal(parseDatasetListQuery({ q: 'x'.repeat(150) }).search.length, 100);
  });

  it('writes only what differs from the defaults, and reads back what it wrote', () => {
    assert.equal(datasetListToSearch({ search: '', orderBy: 'NAME_ASC' }).toString(), '');
    const search = datasetListToSearch({ search: 'bottle cap', orderBy: 'CREATED_AT_DESC' });
    assert.equal(search.toString(), 'q=bottle+cap&sort=CREATED_AT_DESC');
    assert.deepEqual(parseDatasetListQuery(Object.fromEntries(search)), {
      search: 'bottle cap',
      orderBy: 'CREATED_AT_DESC',
    });
  });
});

const dataset = (runs: number, active: number): DatasetDeletion => ({
  id: 'd',
  name: 'tiles',
  counts: { images: 1200 },
  withMask: { totalCount: 1 },
  runs: { totalCount: runs },
  activeRuns: { totalCount: active },
});

describe('what deleting a dataset takes with it', () => {
  it('counts images, annotated images and runs', () => {
    const { blocked, consequence } = describeDatasetDeletion(dataset(2, 0));
    assert.equal(blocked, null);
    assert.equal(
      consequence,
      'Deleting tiles also deletes its 1,200 images, 1 annotated image, 2 runs with their results, evaluations and ' +
        'predictions, and its exports. ' +
        'Files no other dataset uses are removed. This cannot be undone.',
    );
  });

  it('is blocked while runs are queued or running, as the API refuses', () => {
    assert.equal(
      describeDatasetDeletion(dataset(3, 1)).blocked,
      '1 run of this dataset is queued or running: cancel it first.',
    );
    assert.match(
      describeDatasetDeletion(dataset(3, 2)).blocked!,
      /^2 runs .* are queued or running: cancel them first/,
    );
  });
});

describe('runs', () => {
  it('can be deleted once ended', () => {
    assert.equal(whyRunNotDeletable('RUNNING'), 'The run is running: cancel it first.');
    assert.equal(whyRunNotDeletable('QUEUED'), 'The run is queued: cancel it first.');
    for (const status of ['SUCCEEDED', 'FAILED', 'CANCELLED'] as const) assert.equal(whyRunNotDeletable(status), null);
  });

  it('never go back from an ended state on a late read, but follow every other change', () => {
    type Shown = { status: RunStatus; progress: number };
    const ended: Shown = { status: 'SUCCEEDED', progress: 1 };
    assert.equal(laterRunState(ended, { status: 'QUEUED', progress: 0 }), ended);
    assert.equal(laterRunState(ended, { status: 'RUNNING', progress: 0.9 }), ended);
    const queued: Shown = { status: 'QUEUED', progress: 0 };
    const running: Shown = { status: 'RUNNING', progress: 0.2 };
    assert.equal(laterRunState(queued, running), running);
    const failed: Shown = { status: 'FAILED', progress: 0.2 };
    assert.equal(laterRunState(running, failed), failed);
  });
});

describe('the devices the launch form offers', () => {
  it('offers the GPU only when a live worker has one', () => {
    assert.deepEqual(deviceChoices([]), ['AUTO', 'CPU']);
    assert.deepEqual(deviceChoices([{ device: 'cpu', workers: 2, deviceCount: 0 }]), ['AUTO', 'CPU']);
    assert.deepEqual(
      deviceChoices([
        { device: 'cpu', workers: 2, deviceCount: 0 },
        { device: 'cuda', workers: 1, deviceCount: 4 },
      ]),
      ['AUTO', 'CPU', 'CUDA'],
    );
  });

  it('says which workers there are', () => {
    assert.match(describeWorkerDevices([]), /No worker is running now/);
    assert.equal(
      describeWorkerDevices([{ device: 'cpu', workers: 1, deviceCount: 0 }]),
      '1 live worker, CPU only: no GPU to offer.',
    );
    assert.equal(
      describeWorkerDevices([
        { device: 'cpu', workers: 3, deviceCount: 0 },
        { device: 'cuda', workers: 1, deviceCount: 2 },
      ]),
      '3 live workers, 1 with a GPU (up to 2 CUDA devices each).',
    );
  });
});
