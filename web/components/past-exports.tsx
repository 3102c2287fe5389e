'use client';

import { useCallback, useEffect, useState } from 'react';

import { Notice } from '@/components/ui';
import {
  appFileUrl,
  exportFileName,
  listExports,
  pastExportState,
  type ExportPageRequest,
  type ExportScope,
  type PastExportPage,
} from '@/lib/domain/exports';
import { dateTime } from '@/lib/format';
import { browserClient } from '@/lib/graphql/browser';
import { describeError } from '@/lib/graphql/client';

const PAGE_SIZE = 5;

/**
 * The exports made before, newest first, each with who asked, what became of it and its download while the zip is
 * kept; older and newer pages. `refresh` changes when the panel's own export ends, so that it joins the list.
 */
export function PastExports({
  scope,
  subject,
  refresh,
}: {
  scope: ExportScope;
  /** What the zips are named after (the run's or the dataset's name). */
  subject: string;
  refresh: string;
}) {
  const [page, setPage] = useState<PastExportPage | null>(null);
  const [error, setError] = useState<string | null>(null);
  const { runId, datasetId, kind } = scope;
  // Mask exports differ by which versions they took; the list says so beside each.
  const masks = kind === 'MASKS';

  const load = useCallback(
    (request: ExportPageRequest) =>
      listExports(browserClient, { runId, datasetId, kind }, request).then(
        (answer) => {
          setPage(answer);
          setError(null);
        },
        (failure: unknown) => setError(describeError(failure)),
      ),
    [runId, datasetId, kind],
  );

  useEffect(() => {
    let current = true;
    listExports(browserClient, { runId, datasetId, kind }, { first: PAGE_SIZE }).then(
      (answer) => {
        if (!current) return;
        setPage(answer);
        setError(null);
      },
      (failure: unknown) => current && setError(describeError(failure)),
    );
    return () => {
      current = false;
    };
  }, [runId, datasetId, kind, refresh]);

  if (error) return <Notice kind="error">Past exports could not be listed: {error}</Notice>;
  if (!page || page.total === 0) return null;
  return (
    <div data-testid="past-exports">
      <h3 className="small" style={{ margin: '12px 0 4px' }}>
        Past exports ({page.total})
      </h3>
      <div className="table-wrap">
        <table className="data small">
          <thead>
            <tr>
              <th>Asked for</th>
              <th>By</th>
              {masks ? <th>Masks</th> : null}
              <th>State</th>
              <th>Download</th>
            </tr>
          </thead>
          <tbody>
            {page.exports.map((job) => (
              <tr key={job.id} data-testid="past-export">
                <td>{dateTime(job.createdAt)}</td>
                <td>{job.createdBy ? job.createdBy.name || job.createdBy.email : 'a removed account'}</td>
                {masks ? <td>{job.which === 'LATEST' ? 'Latest of each image' : 'Approved'}</td> : null}
                <td>{pastExportState(job)}</td>
                <td>
                  {job.downloadUrl ? (
                    <a href={appFileUrl(job.downloadUrl)} download={exportFileName(job, subject)}>
                      Zip
                    </a>
                  ) : (
                    '—'
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="row">
        <button
          type="button"
          disabled={!page.newer}
          onClick={() => page.newer && void load({ last: PAGE_SIZE, before: page.newer })}
        >
          Newer
        </button>
        <button
          type="button"
          disabled={!page.older}
          onClick={() => page.older && void load({ first: PAGE_SIZE, after: page.older })}
        >
          Older
        </button>
      </div>
    </div>
  );
}
