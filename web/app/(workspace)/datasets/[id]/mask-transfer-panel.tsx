'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';

import { JobProgress, useJob } from '@/components/job-progress';
import { PastExports } from '@/components/past-exports';
import { Notice, ProgressBar } from '@/components/ui';
import { uploadZip } from '@/lib/domain/datasets';
import {
  appFileUrl,
  exportFileName,
  exportSummary,
  getExport,
  getMaskImport,
  maskImportSummary,
  startMaskExport,
  startMaskImport,
  type MaskImportFormat,
  type MaskSelection,
} from '@/lib/domain/exports';
import { browserClient } from '@/lib/graphql/browser';
import { ApiError, describeError } from '@/lib/graphql/client';
import { bytes, percent } from '@/lib/format';

type FormatChoice = MaskImportFormat | 'AUTO';

/** A `label.field`'s look, for a label beside its select (see the comment at the first). */
const FIELD = { display: 'flex', flexDirection: 'column', gap: '0.25rem', fontWeight: 500 } as const;

/**
 * An admin takes a dataset's masks away (approved versions or each image's latest, as MVTec AD PNGs and COCO
 * JSON in one zip) and brings masks made elsewhere back in: a zip of PNGs or a COCO file, each mask a new version,
 * approved at once or submitted for review. Both are worker jobs followed until they end.
 */
export function MaskTransferPanel({ dataset }: { dataset: { id: string; name: string } }) {
  const router = useRouter();
  const [which, setWhich] = useState<MaskSelection>('APPROVED');
  const exporting = useJob((id) => getExport(browserClient, id));
  const importing = useJob((id) => getMaskImport(browserClient, id));
  const [file, setFile] = useState<File | null>(null);
  const [format, setFormat] = useState<FormatChoice>('AUTO');
  const [approve, setApprove] = useState(true);
  const [upload, setUpload] = useState<number | null>(null);
  const [uploadError, setUploadError] = useState<string | null>(null);
  const importBusy = upload !== null || importing.busy;

  async function importZip(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setUploadError(null);
    if (!file) {
      setUploadError('Choose a zip file of masks');
      return;
    }
    const job = await importing.start(async () => {
      setUpload(0);
      try {
        const { id: uploadId } = await uploadZip(file, setUpload);
        return await startMaskImport(browserClient, {
          datasetId: dataset.id,
          uploadId,
          approve,
          format: format === 'AUTO' ? null : format,
        });
      } catch (failure) {
        throw failure instanceof ApiError ? failure : new ApiError(describeError(failure), 'UPLOAD_FAILED');
      } finally {
        setUpload(null);
      }
    });
    // New versions change the grid's mask badges and the page's coverage.
    if (job?.status === 'SUCCEEDED') router.refresh();
  }

  return (
    <section className="panel" aria-label="Mask export and import">
      <h2>Masks in and out</h2>
      <div className="row" style={{ flexWrap: 'wrap' }}>
        {/* Labels beside their selects, not around them: the option texts would make the label's text. */}
        <div style={FIELD}>
          <label htmlFor="mask-export-which">Export</label>
          <select
            id="mask-export-which"
            value={which}
            onChange={(event) => setWhich(event.currentTarget.value as MaskSelection)}
            disabled={exporting.busy}
            data-testid="mask-export-which"
          >
            <option value="APPROVED">Approved masks (ground truth)</option>
            <option value="LATEST">Each image&apos;s latest mask</option>
          </select>
        </div>
        <button
          type="button"
          data-testid="export-masks"
          disabled={exporting.busy}
          onClick={() => void exporting.start(() => startMaskExport(browserClient, dataset.id, which))}
        >
          {exporting.busy ? 'Exporting…' : 'Export masks'}
        </button>
      </div>
      <p className="muted small">
        A zip of <code>ground_truth/&lt;defect type&gt;/&lt;name&gt;_mask.png</code> (MVTec AD) and{' '}
        <code>annotations.json</code> (COCO, RLE); images without a mask of that kind are left out. It imports back
        below.
      </p>
      {exporting.error ? <Notice kind="error">{exporting.error}</Notice> : null}
      {exporting.job ? (
        <JobProgress
          job={exporting.job}
          label="Mask export progress"
          testId="mask-export"
          done={
            exporting.job.downloadUrl ? (
              <Notice kind="ok">
                <a href={appFileUrl(exporting.job.downloadUrl)} download={exportFileName(exporting.job, dataset.name)}>
                  Download the zip
                </a>{' '}
                ({exportSummary(exporting.job)})
              </Notice>
            ) : (
              <Notice kind="error">The export succeeded but the API gave no download address.</Notice>
            )
          }
        />
      ) : null}
      <PastExports
        scope={{ datasetId: dataset.id, kind: 'MASKS' }}
        subject={dataset.name}
        refresh={exporting.job ? `${exporting.job.id}:${exporting.job.status}` : ''}
      />

      <form className="stack" onSubmit={(event) => void importZip(event)} style={{ marginTop: '1rem' }}>
        <div className="form-grid">
          <label className="field">
            Import masks (zip)
            <input
              type="file"
              accept=".zip,application/zip"
              disabled={importBusy}
              data-testid="mask-import-file"
              onChange={(event) => setFile(event.currentTarget.files?.[0] ?? null)}
            />
            {file ? <span className="hint">{bytes(file.size)}</span> : null}
          </label>
          <div style={FIELD}>
            <label htmlFor="mask-import-format">Format</label>
            <select
              id="mask-import-format"
              value={format}
              onChange={(event) => setFormat(event.currentTarget.value as FormatChoice)}
              disabled={importBusy}
            >
              <option value="AUTO">Found from the files (PNG masks, else COCO)</option>
              <option value="PNG">PNG masks (MVTec AD layout, or named like their images)</option>
              <option value="COCO">COCO JSON (RLE or polygons)</option>
            </select>
          </div>
        </div>
        <label className="row small">
          <input
            type="checkbox"
            checked={approve}
            onChange={(event) => setApprove(event.currentTarget.checked)}
            disabled={importBusy}
            data-testid="mask-import-approve"
          />
          Approve them (ground truth at once); unticked, they are submitted for review
        </label>
        <p className="muted small">
          Each mask is matched to an image by file name and becomes a new version of its mask. A file that names no
          image, has another size or cannot be read stops the import, naming it, and nothing is imported.
        </p>
        {upload !== null ? (
          <div className="row">
            <ProgressBar value={upload} big label="Upload progress" />
            <span className="small">Uploading… {percent(upload)}</span>
          </div>
        ) : null}
        {uploadError ? <Notice kind="error">{uploadError}</Notice> : null}
        {importing.error ? <Notice kind="error">{importing.error}</Notice> : null}
        {importing.job ? (
          <JobProgress
            job={importing.job}
            label="Mask import progress"
            testId="mask-import"
            done={<Notice kind="ok">{maskImportSummary(importing.job)}</Notice>}
          />
        ) : null}
        <div className="row">
          <button className="primary" type="submit" disabled={importBusy} data-testid="import-masks">
            {importBusy ? 'Importing…' : 'Import masks'}
          </button>
        </div>
      </form>
    </section>
  );
}
