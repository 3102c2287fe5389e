'use client';

import { JobProgress, useJob } from '@/components/job-progress';
import { PastExports } from '@/components/past-exports';
import { Notice } from '@/components/ui';
import { appFileUrl, exportFileName, exportSummary, getExport, startRunExport } from '@/lib/domain/exports';
import { browserClient } from '@/lib/graphql/browser';
import type { RunStatus } from '@/lib/graphql/generated';

/**
 * An admin takes a succeeded run away as one zip (scores CSV, raw maps as TIFF, predicted masks, report): a worker
 * makes it while the bar follows, then the link downloads it through the app's /files proxy.
 */
export function ExportRunPanel({ run }: { run: { id: string; name: string | null; status: RunStatus } }) {
  const { job, error, busy, start } = useJob((id) => getExport(browserClient, id));
  const ready = run.status === 'SUCCEEDED';
  return (
    <section className="panel" aria-label="Export the run">
      <div className="row">
        <h2 style={{ margin: 0 }}>Export</h2>
        <span className="spacer" />
        <button
          type="button"
          className="primary"
          data-testid="export-run"
          disabled={!ready || busy}
          onClick={() => void start(() => startRunExport(browserClient, run.id))}
        >
          {busy ? 'Exporting…' : 'Export run'}
        </button>
      </div>
      <p className="muted small">
        One zip: <code>scores.csv</code>, each map&apos;s raw values as float32 TIFF (MVTec AD evaluation layout),
        predicted masks at the latest evaluation&apos;s F1-max thresholds, <code>report.json</code> and the
        pipeline&apos;s report.
        {ready ? null : ' A run can be exported once it has succeeded.'}
      </p>
      {error ? <Notice kind="error">{error}</Notice> : null}
      {job ? (
        <JobProgress
          job={job}
          label="Export progress"
          testId="run-export"
          done={
            job.downloadUrl ? (
              <Notice kind="ok">
                <a href={appFileUrl(job.downloadUrl)} download={exportFileName(job, run.name ?? run.id)}>
                  Download the zip
                </a>{' '}
                ({exportSummary(job)})
              </Notice>
            ) : (
              <Notice kind="error">The export succeeded but the API gave no download address.</Notice>
            )
          }
        />
      ) : null}
      <PastExports
        scope={{ runId: run.id }}
        subject={run.name ?? run.id}
        refresh={job ? `${job.id}:${job.status}` : ''}
      />
    </section>
  );
}
