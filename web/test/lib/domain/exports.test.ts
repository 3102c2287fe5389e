import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  appFileUrl,
  exportFileName,
  exportSummary,
  followJob,
  getExport,
  getMaskImport,
  jobEnded,
  jobStatusText,
  listExports,
  maskImportSummary,
  pastExportState,
  startMaskExport,
  startMaskImport,
  startRunExport,
  type ExportJob,
  type MaskImportJob,
  type PastExport,
} from '../../../lib/domain/exports';
import { ApiError, type GraphqlClient } from '../../../lib/graphql/client';

function exportJob(patch: Partial<ExportJob> = {}): ExportJob {
  return {
    id: '0a1b2c3d-0000-4000-8000-000000000000',
    kind: 'RUN',
    which: null,
    status: 'QUEUED',
    phase: '',
    progress: 0,
    error: null,
    fileCount: 0,
    byteSize: null,
    downloadUrl: null,
    createdAt: '2026-12-07T05:00:00Z',
    finishedAt: null,
    ...patch,
  };
}

function maskImportJob(patch: Partial<MaskImportJob> = {}): MaskImportJob {
  return {
    id: 'import-1',
    status: 'SUCCEEDED',
    phase: 'done',
    progress: 1,
    error: null,
    fileName: 'masks.zip',
    approve: true,
    requested: null,
    format: 'PNG',
    maskCount: 12,
    createdAt: '2026-12-07T05:00:00Z',
    finishedAt: '2026-12-07T05:00:02Z',
    ...patch,
  };
}

/** A client that answers every request with `answer` and remembers the variables it was given. */
function answering(answer: unknown) {
  const asked: unknown[] = [];
  const client = {
    request: async (_document: unknown, variables: unknown) => {
      asked.push(variables);
      return answer;
    },
  } as unknown as GraphqlClient;
  return { client, asked };
}

describe('starting jobs', () => {
  it('asks for a run export, a mask export of the chosen versions and a mask import', async () => {
    const run = answering({ exportRun: exportJob() });
    assert.equal((await startRunExport(run.client, 'r1')).status, 'QUEUED');
    assert.deepEqual(run.asked, [{ runId: 'r1' }]);

    const masks = answering({ exportMasks: exportJob({ kind: 'MASKS', which: 'LATEST' }) });
    await startMaskExport(masks.client, 'd1', 'LATEST');
    assert.deepEqual(masks.asked, [{ datasetId: 'd1', which: 'LATEST' }]);

    const imported = answering({ importMasks: maskImportJob({ status: 'QUEUED' }) });
    await startMaskImport(imported.client, { datasetId: 'd1', uploadId: 'u1', approve: false });
    await startMaskImport(imported.client, { datasetId: 'd1', uploadId: 'u2', approve: true, format: 'COCO' });
    assert.deepEqual(imported.asked, [
      { datasetId: 'd1', uploadId: 'u1', approve: false, format: null },
      { datasetId: 'd1', uploadId: 'u2', approve: true, format: 'COCO' },
    ]);
  });

  it('turns an unknown job id into NOT_FOUND', async () => {
    await assert.rejects(
      getExport(answering({ export: null }).client, 'x'),
      (error: unknown) => error instanceof ApiError && error.code === 'NOT_FOUND',
    );
    await assert.rejects(
      getMaskImport(answering({ maskImport: null }).client, 'y'),
      (error: unknown) => error instanceof ApiError && error.code === 'NOT_FOUND',
    );
  });
});

describe('following a job', () => {
  it('asks until it has ended, passing on every state', async () => {
    const answers = [
      exportJob({ status: 'RUNNING', progress: 0.5, phase: 'Writing maps' }),
      exportJob({ status: 'SUCCEEDED', progress: 1, downloadUrl: '/files/exports/a.zip', byteSize: 2048 }),
    ];
    const seen: ExportJob[] = [];
    const last = await followJob(
      exportJob(),
      async () => answers.shift()!,
      (job) => seen.push(job),
      {
        interval: 1,
      },
    );
    assert.equal(last.status, 'SUCCEEDED');
    assert.deepEqual(
      seen.map((job) => job.status),
      ['QUEUED', 'RUNNING', 'SUCCEEDED'],
    );
    assert.equal(answers.length, 0);
  });

  it('does not ask about a job that has already ended', async () => {
    let asked = 0;
    const failed = exportJob({ status: 'FAILED', error: 'The run has no results' });
    const last = await followJob(
      failed,
      async () => (asked++, failed),
      () => {},
      { interval: 1 },
    );
    assert.equal(last, failed);
    assert.equal(asked, 0);
  });

  it('stops asking once aborted, leaving the job running', async () => {
    const controller = new AbortController();
    let asked = 0;
    const running = exportJob({ status: 'RUNNING' });
    const last = await followJob(
      running,
      async () => {
        asked++;
        controller.abort();
        return running;
      },
      () => {},
      { interval: 1, signal: controller.signal },
    );
    assert.equal(last.status, 'RUNNING');
    assert.equal(asked, 1);
  });

  it('passes a refusal on', async () => {
    await assert.rejects(
      followJob(
        exportJob(),
        async () => {
          throw new ApiError('Only admins can do this', 'FORBIDDEN');
        },
        () => {},
        { interval: 1 },
      ),
      /Only admins/,
    );
  });
});

describe('words and links', () => {
  it('says where a job is, and why it failed', () => {
    assert.equal(jobEnded({ status: 'SUCCEEDED' }), true);
    assert.equal(jobEnded({ status: 'FAILED' }), true);
    assert.equal(jobEnded({ status: 'RUNNING' }), false);
    assert.equal(jobStatusText(exportJob()), 'Waiting for a worker…');
    assert.equal(jobStatusText(exportJob({ status: 'RUNNING', phase: 'Writing maps' })), 'Writing maps…');
    assert.equal(
      jobStatusText(exportJob({ status: 'FAILED', error: 'ground_truth/a.png has another size' })),
      'Failed: ground_truth/a.png has another size',
    );
    assert.equal(jobStatusText(exportJob({ status: 'FAILED' })), 'Failed, without a reason given');
  });

  it('serves the download through the app, whether the API gives a path or an absolute URL', () => {
    assert.equal(appFileUrl('/files/exports/a.zip'), '/files/exports/a.zip');
    assert.equal(appFileUrl('http://api.internal:4000/files/exports/a.zip?v=1'), '/files/exports/a.zip?v=1');
  });

  it('names the zip after what it holds', () => {
    assert.equal(exportFileName(exportJob(), 'Bottle run #2'), 'run-Bottle-run-2.zip');
    assert.equal(exportFileName(exportJob({ kind: 'MASKS', which: 'LATEST' }), 'bottle'), 'masks-bottle-latest.zip');
    assert.equal(exportFileName(exportJob(), '***'), 'run-0a1b2c3d.zip', 'a name of nothing but symbols');
  });

  it('sums up a finished export and import', () => {
    assert.equal(exportSummary(exportJob({ fileCount: 1, byteSize: 512 })), '1 file, 512 B');
    assert.equal(exportSummary(exportJob({ fileCount: 40, byteSize: 3 * 1024 * 1024 })), '40 files, 3.0 MB');
    assert.equal(maskImportSummary(maskImportJob()), 'Imported 12 mask versions from PNG masks (approved)');
    assert.equal(
      maskImportSummary(maskImportJob({ maskCount: 1, format: 'COCO', approve: false })),
      'Imported 1 mask version from COCO JSON (submitted for review)',
    );
  });
});

describe('past exports', () => {
  const past = (patch: Partial<PastExport> = {}): PastExport => ({
    ...exportJob(),
    createdBy: { id: 'u1', name: 'Ada', email: 'ada@lab.org' },
    ...patch,
  });

  it('asks for a page in either direction and offers the cursors only where more lie', async () => {
    const first = answering({
      exports: {
        edges: [{ node: past() }],
        pageInfo: { hasNextPage: true, hasPreviousPage: false, startCursor: 's', endCursor: 'e' },
        totalCount: 6,
      },
    });
    const page = await listExports(first.client, { runId: 'r1' }, { first: 5 });
    assert.deepEqual(first.asked, [{ runId: 'r1', first: 5 }]);
    assert.deepEqual([page.older, page.newer, page.total, page.exports.length], ['e', null, 6, 1]);

    const back = answering({
      exports: {
        edges: [],
        pageInfo: { hasNextPage: true, hasPreviousPage: true, startCursor: 's2', endCursor: 'e2' },
        totalCount: 6,
      },
    });
    const newer = await listExports(back.client, { datasetId: 'd1', kind: 'MASKS' }, { last: 5, before: 's' });
    assert.deepEqual(back.asked, [{ datasetId: 'd1', kind: 'MASKS', last: 5, before: 's' }]);
    assert.deepEqual([newer.older, newer.newer], ['e2', 's2']);
  });

  it('says what became of each: its size, expired once its zip is gone, or its state', () => {
    const done = { status: 'SUCCEEDED' as const, fileCount: 2, byteSize: 2048 };
    assert.equal(pastExportState(past({ ...done, downloadUrl: '/files/exports/x.zip' })), '2 files, 2.0 KB');
    assert.equal(pastExportState(past({ ...done, downloadUrl: null })), 'Expired');
    assert.equal(pastExportState(past({ status: 'FAILED', error: 'disk full' })), 'Failed: disk full');
  });
});
