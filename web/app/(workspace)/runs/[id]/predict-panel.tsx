'use client';

import { useState } from 'react';

import { JobProgress, useJob } from '@/components/job-progress';
import { Notice, ProgressBar } from '@/components/ui';
import { ScoreReading, VerdictBadge } from '@/components/verdict';
import { appFileUrl } from '@/lib/domain/exports';
import {
  getPrediction,
  pickerDatasets,
  pickerImages,
  startPrediction,
  uploadImages,
  type PredictedImage,
  type PredictionJob,
} from '@/lib/domain/predictions';
import { browserClient } from '@/lib/graphql/browser';
import { describeError } from '@/lib/graphql/client';

type Source = 'upload' | 'dataset';

/**
 * Scoring new images with the run's model: images picked from this computer (sent as one zip) or from a dataset;
 * a worker scores them while the bar follows, then each image shows its verdict, score and maps, with links to
 * the raw float32 TIFF and NPY files.
 */
export function PredictPanel({ runId, datasetId }: { runId: string; datasetId: string }) {
  const [source, setSource] = useState<Source>('upload');
  const [files, setFiles] = useState<File[]>([]);
  const [uploaded, setUploaded] = useState<number | null>(null);
  const [datasets, setDatasets] = useState<{ id: string; name: string }[] | null>(null);
  const [pickFrom, setPickFrom] = useState(datasetId);
  const [choices, setChoices] = useState<{
    total: number;
    images: { id: string; name: string; thumbnailUrl: string }[];
  } | null>(null);
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const [problem, setProblem] = useState<string | null>(null);
  const { job, error, busy, start } = useJob<PredictionJob>((id) => getPrediction(browserClient, id));

  async function loadChoices(id: string): Promise<void> {
    setProblem(null);
    setPickFrom(id);
    setPicked(new Set());
    try {
      if (datasets === null) setDatasets(await pickerDatasets(browserClient));
      setChoices(await pickerImages(browserClient, id));
    } catch (failure) {
      setProblem(describeError(failure));
    }
  }

  async function score(): Promise<void> {
    setProblem(null);
    await start(async () => {
      if (source === 'dataset') return startPrediction(browserClient, runId, { imageIds: [...picked] });
      setUploaded(0);
      try {
        const upload = await uploadImages(files, setUploaded);
        return await startPrediction(browserClient, runId, { uploadId: upload.id });
      } finally {
        setUploaded(null);
      }
    });
  }

  const ready = source === 'upload' ? files.length > 0 : picked.size > 0;
  return (
    <section className="panel" aria-label="Score new images">
      <div className="row">
        <h2 style={{ margin: 0 }}>Score new images</h2>
        <span className="spacer" />
        <div className="row" role="radiogroup" aria-label="Images from">
          <label>
            <input
              type="radio"
              name="predict-source"
              checked={source === 'upload'}
              onChange={() => setSource('upload')}
            />{' '}
            From this computer
          </label>
          <label>
            <input
              type="radio"
              name="predict-source"
              data-testid="predict-from-dataset"
              checked={source === 'dataset'}
              onChange={() => {
                setSource('dataset');
                if (choices === null) void loadChoices(pickFrom);
              }}
            />{' '}
            From a dataset
          </label>
        </div>
      </div>
      <p className="muted small">
        The run&apos;s model scores them as it scored its test images: each gets its score, the run&apos;s verdict and
        every map, with the raw values as float32 TIFF and NPY.
      </p>
      {source === 'upload' ? (
        <label className="row">
          Images (PNG, JPEG, BMP, TIFF)
          <input
            type="file"
            multiple
            accept=".png,.jpg,.jpeg,.bmp,.tif,.tiff,image/png,image/jpeg,image/bmp,image/tiff"
            data-testid="predict-files"
            onChange={(event) => setFiles(Array.from(event.target.files ?? []))}
          />
        </label>
      ) : (
        <div>
          <label className="row">
            Dataset
            <select value={pickFrom} onChange={(event) => void loadChoices(event.target.value)}>
              {(datasets ?? [{ id: datasetId, name: 'This run’s dataset' }]).map((dataset) => (
                <option key={dataset.id} value={dataset.id}>
                  {dataset.name}
                </option>
              ))}
            </select>
            {choices ? (
              <span className="muted small">
                {picked.size} picked; the first {choices.images.length} of {choices.total} images by name
              </span>
            ) : null}
          </label>
          <div className="row" style={{ flexWrap: 'wrap', gap: 6, marginTop: 8 }} data-testid="predict-choices">
            {choices?.images.map((image) => (
              <label key={image.id} title={image.name} style={{ display: 'grid', justifyItems: 'center' }}>
                <img src={appFileUrl(image.thumbnailUrl)} alt={image.name} width={64} height={64} />
                <input
                  type="checkbox"
                  checked={picked.has(image.id)}
                  onChange={(event) => {
                    const next = new Set(picked);
                    if (event.target.checked) next.add(image.id);
                    else next.delete(image.id);
                    setPicked(next);
                  }}
                />
              </label>
            ))}
          </div>
        </div>
      )}
      <div className="row" style={{ marginTop: 8 }}>
        <button
          type="button"
          className="primary"
          data-testid="predict-start"
          disabled={!ready || busy}
          onClick={() => void score()}
        >
          {busy ? 'Scoring…' : 'Score'}
        </button>
        {uploaded !== null ? <ProgressBar value={uploaded} label="Upload progress" /> : null}
      </div>
      {problem ? <Notice kind="error">{problem}</Notice> : null}
      {error ? <Notice kind="error">{error}</Notice> : null}
      {job ? (
        <JobProgress
          job={job}
          label="Scoring progress"
          testId="prediction"
          done={<PredictedImages images={job.images ?? []} />}
        />
      ) : null}
    </section>
  );
}

function PredictedImages({ images }: { images: PredictedImage[] }) {
  if (images.length === 0) return <Notice kind="error">The prediction succeeded without any image.</Notice>;
  return (
    <table className="table" data-testid="predicted-images">
      <thead>
        <tr>
          <th>Image</th>
          <th>Verdict</th>
          <th>Score</th>
          <th>Maps (raw values: TIFF, NPY)</th>
        </tr>
      </thead>
      <tbody>
        {images.map((image) => (
          <tr key={image.id} data-testid="predicted-image" data-name={image.name}>
            <td>
              <a href={appFileUrl(image.url)} target="_blank" rel="noreferrer">
                <img src={appFileUrl(image.thumbnailUrl)} alt={image.name} width={64} height={64} />
              </a>
              <div className="small mono">{image.name}</div>
            </td>
            <td>
              <VerdictBadge verdict={image.verdict ?? null} />
              {image.verdict ? null : <span className="muted small">no threshold yet</span>}
            </td>
            <td data-testid="predicted-score" data-score={image.score}>
              <ScoreReading raw={image.score} normalized={image.normalizedScore ?? null} />
            </td>
            <td>
              <div className="row" style={{ flexWrap: 'wrap', gap: 8 }}>
                {image.maps.map((map) => (
                  <figure key={map.mapType} style={{ margin: 0, textAlign: 'center' }}>
                    <img src={appFileUrl(map.url)} alt={`${map.mapType} map of ${image.name}`} width={64} height={64} />
                    <figcaption className="small">
                      {map.mapType}{' '}
                      <a href={appFileUrl(map.tiffUrl)} download>
                        TIFF
                      </a>{' '}
                      <a href={appFileUrl(map.npyUrl)} download>
                        NPY
                      </a>
                    </figcaption>
                  </figure>
                ))}
              </div>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
