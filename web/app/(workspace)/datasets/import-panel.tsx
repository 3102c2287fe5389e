'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState, type FormEvent } from 'react';

import { JobProgress, useJob } from '@/components/job-progress';
import { Notice, ProgressBar } from '@/components/ui';
import { datasetImportSummary, getDatasetImport, startDatasetImport, uploadZip } from '@/lib/domain/datasets';
import { checkDatasetName, type NameCheck } from '@/lib/domain/housekeeping';
import { browserClient } from '@/lib/graphql/browser';
import { ApiError, describeError } from '@/lib/graphql/client';
import { bytes, percent } from '@/lib/format';

type Source = 'folder' | 'zip';

/** Typing pauses this long before the name is checked, so that each keystroke is not a request. */
const NAME_CHECK_PAUSE_MS = 300;
/**
 * Admins import a dataset from a folder the API server can read, or from a zip sent with a progress bar; a worker
 * does the import, and its bar follows the job.
 */
export function ImportDatasetPanel() {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [source, setSource] = useState<Source>('folder');
  /** How much of the zip has been sent, while it is being sent. */
  const [uploaded, setUploaded] = useState<number | null>(null);
  const importJob = useJob((id: string) => getDatasetImport(browserClient, id));
  // Refusals before the import is queued (name, path, upload); the import's own are importJob's.
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<string | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const abort = useRef<AbortController | null>(null);
  const busy = uploaded !== null || importJob.busy;
  const [name, setName] = useState('');
  const [nameCheck, setNameCheck] = useState<NameCheck | null>(null);

  const nameTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const nameAsked = useRef(0);
  useEffect(() => () => clearTimeout(nameTimer.current ?? undefined), []);

  // The name is checked as it is typed: a taken one is said before anything is uploaded. Only the answer for
  // the latest text counts.
  function typeName(value: string) {
    setName(value);
    clearTimeout(nameTimer.current ?? undefined);
    const asked = ++nameAsked.current;
    if (!value.trim()) {
      setNameCheck(null);
      return;
    }
    nameTimer.current = setTimeout(() => {
      checkDatasetName(browserClient, value).then(
        (check) => asked === nameAsked.current && setNameCheck(check),
        () => asked === nameAsked.current && setNameCheck(null),
      );
    }, NAME_CHECK_PAUSE_MS);
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const description = String(form.get('description') ?? '');
    setError(null);
    setResult(null);
    let uploadId: string | undefined;
    const path = source === 'folder' ? String(form.get('path') ?? '').trim() : undefined;
    try {
      if (source === 'folder' && !path) throw new ApiError('Enter the folder path on the server', 'BAD_USER_INPUT');
      if (source === 'zip' && !file) throw new ApiError('Choose a zip file', 'BAD_USER_INPUT');
      // Asked again just before the upload: the name may have been taken since it was typed. The import still
      // refuses a name taken during the upload.
      clearTimeout(nameTimer.current ?? undefined);
      const asked = ++nameAsked.current;
      const check = await checkDatasetName(browserClient, name);
      if (asked === nameAsked.current) setNameCheck(check);
      if (check && !check.available) throw new ApiError(check.reason ?? 'This name cannot be used', 'CONFLICT');
      if (source === 'zip' && file) {
        abort.current = new AbortController();
        setUploaded(0);
        uploadId = (await uploadZip(file, setUploaded, abort.current.signal)).id;
      }
    } catch (failure) {
      setError(describeError(failure));
      return;
    } finally {
      setUploaded(null);
    }
    const job = await importJob.start(() => startDatasetImport(browserClient, { path, uploadId, name, description }));
    if (job?.status !== 'SUCCEEDED') return;
    setResult(datasetImportSummary(job));
    router.refresh();
  }

  if (!open) {
    return (
      <div className="row" style={{ marginBottom: '1rem' }}>
        <button className="primary" onClick={() => setOpen(true)}>
          Import dataset
        </button>
        {result ? (
          <span className="notice ok" role="status">
            {result}
          </span>
        ) : null}
      </div>
    );
  }

  return (
    <section className="panel" aria-label="Import a dataset">
      <div className="row">
        <h2 style={{ margin: 0 }}>Import a dataset</h2>
        <span className="spacer" />
        <button className="ghost" onClick={() => setOpen(false)} disabled={busy} aria-label="Close the import form">
          ✕
        </button>
      </div>
      <p className="muted small">
        Layouts: MVTec AD (<code>train/good</code>, <code>test/&lt;defect&gt;</code>,{' '}
        <code>ground_truth/&lt;defect&gt;</code>), plain (<code>normal/</code>, <code>anomalous/</code>,{' '}
        <code>masks/</code>) or a flat folder of images (imported unlabeled, to annotate). Every file is checked first:
        a bad one imports nothing and the error names it.
      </p>
      <div className="tabs" role="tablist">
        {(['folder', 'zip'] as const).map((option) => (
          <button
            key={option}
            role="tab"
            type="button"
            aria-selected={source === option}
            onClick={() => setSource(option)}
            disabled={busy}
          >
            {option === 'folder' ? 'Folder on the server' : 'Upload a zip'}
          </button>
        ))}
      </div>
      <form className="stack" onSubmit={submit}>
        <div className="form-grid">
          {source === 'folder' ? (
            <label className="field" style={{ gridColumn: '1 / -1' }}>
              Folder path
              <input type="text" name="path" placeholder="/data/mvtec/bottle" disabled={busy} autoFocus />
              <span className="hint">A folder the API server can read (it may restrict imports to some roots).</span>
            </label>
          ) : (
            <label className="field" style={{ gridColumn: '1 / -1' }}>
              Zip file
              <input
                type="file"
                name="zip"
                accept=".zip,application/zip"
                disabled={busy}
                onChange={(event) => setFile(event.currentTarget.files?.[0] ?? null)}
              />
              {file ? <span className="hint">{bytes(file.size)}</span> : null}
            </label>
          )}
          <label className="field">
            Name <span className="hint">Defaults to the folder&apos;s category.</span>
            <input
              type="text"
              name="name"
              maxLength={100}
              disabled={busy}
              value={name}
              onChange={(event) => typeName(event.target.value)}
              aria-invalid={nameCheck ? !nameCheck.available : undefined}
              aria-describedby="dataset-name-check"
            />
            <span
              id="dataset-name-check"
              className={nameCheck && !nameCheck.available ? 'hint error-text' : 'hint'}
              data-testid="dataset-name-check"
            >
              {nameCheck ? (nameCheck.available ? `“${nameCheck.name}” is free.` : nameCheck.reason) : null}
            </span>
          </label>
          <label className="field">
            Description
            <input type="text" name="description" disabled={busy} />
          </label>
        </div>
        {uploaded !== null ? (
          <div className="row" data-testid="upload-progress">
            <ProgressBar value={uploaded} big label="Upload progress" />
            <span className="small">Uploading… {percent(uploaded)}</span>
            <button type="button" onClick={() => abort.current?.abort()}>
              Cancel upload
            </button>
          </div>
        ) : importJob.job ? (
          <JobProgress job={importJob.job} label="Import progress" testId="import-progress" done={null} />
        ) : importJob.busy ? (
          <Notice>Queuing the import…</Notice>
        ) : null}
        {error ? (
          <Notice kind="error">{error}</Notice>
        ) : importJob.error && uploaded === null ? (
          <Notice kind="error">{importJob.error}</Notice>
        ) : null}
        {result ? <Notice kind="ok">{result}</Notice> : null}
        <div className="row">
          <button className="primary" type="submit" disabled={busy}>
            {busy ? 'Importing…' : 'Import'}
          </button>
        </div>
      </form>
    </section>
  );
}
