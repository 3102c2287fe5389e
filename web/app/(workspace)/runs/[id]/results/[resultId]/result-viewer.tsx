'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useMemo, useRef, useState } from 'react';

import { RangeField, SelectField } from '@/components/fields';
import { LabelBadge, MaskStatusBadge } from '@/components/ui';
import { MistakeBadge, ScoreReading, VerdictBadge } from '@/components/verdict';
import type { Decision } from '@/lib/domain/decisions';
import {
  chooseMap,
  iou,
  mapDownloads,
  pixelThreshold,
  thresholdShare,
  thresholdValue,
  withMapType,
  type ColourMapChoice,
  type MapType,
  type ResultDetail,
  type ResultInContext,
} from '@/lib/domain/results';
import { loadColourTable, loadImage, loadLevels } from '@/lib/browser-images';
import { loadMask } from '@/lib/mask/png';
import { percent, score } from '@/lib/format';
import {
  colourise,
  contour,
  dilate,
  paint,
  resizeBinary,
  resizeLevels,
  thresholdLevels,
  type ColourTable,
} from '@/lib/maps';

const PREDICTED: readonly [number, number, number] = [0, 220, 255];
const TRUTH: readonly [number, number, number] = [255, 70, 200];
/** The evaluation's predicted mask: apart from the slider's region (cyan) and the ground truth (magenta). */
const EVALUATED: readonly [number, number, number] = [255, 214, 0];

interface Loaded {
  image: HTMLImageElement;
  /** The chosen map's levels (0-255 on the run's range) at the map's resolution. */
  heat: { mapType: string; levels: Uint8Array; width: number; height: number } | null;
  /** Ground truth at the image's resolution. */
  truth: Uint8Array | null;
}

/** A map's predicted mask as the API serves it (at the evaluation's pixel F1-max threshold), at the image's size. */
interface EvaluatedMask {
  mapType: string;
  mask: Uint8Array;
}

/** The display canvas is the image scaled by a whole factor, so small images stay sharp and outlines thin. */
function displayScale(width: number, height: number): number {
  return Math.max(1, Math.min(16, Math.floor(640 / Math.max(width, height))));
}

export function ResultViewer({
  editorHref,
  result,
  decision,
  evaluation,
  colourMaps,
  initialMapType,
  previousHref: previousBase,
  nextHref: nextBase,
  canAnnotate,
}: {
  /** The mask editor on this image, walking the same results. */
  editorHref: string;
  result: ResultDetail;
  /** The run's decision: what the normalised score and the verdict are measured against. */
  decision: Decision | null;
  /** The run's latest evaluation: each map's pixel F1-max threshold, where its predicted mask comes from. */
  evaluation: ResultInContext['run']['latestEvaluation'];
  /** The colour maps to choose from, the default first. */
  colourMaps: readonly ColourMapChoice[];
  /** The map to open on (the URL's `map`); attention when absent or not a map of this result. */
  initialMapType: string | undefined;
  previousHref: string | null;
  nextHref: string | null;
  canAnnotate: boolean;
}) {
  const router = useRouter();
  const { image } = result;
  const [mapType, setMapType] = useState(() => chooseMap(result.maps, initialMapType)?.mapType);
  const map = chooseMap(result.maps, mapType);
  // Walking the results keeps the map chosen here.
  const previousHref = previousBase && map ? withMapType(previousBase, map.mapType) : previousBase;
  const nextHref = nextBase && map ? withMapType(nextBase, map.mapType) : nextBase;
  function choose(chosen: MapType) {
    setMapType(chosen);
    // Each map has its own range and its own evaluation threshold: the slider moves to the new map's.
    const next = chooseMap(result.maps, chosen);
    const cut = next ? pixelThreshold(evaluation, next.mapType) : null;
    if (next && cut !== null) setThreshold(thresholdShare(next.range, cut) ?? 0.5);
    window.history.replaceState(null, '', withMapType(window.location.pathname + window.location.search, chosen));
  }
  const truthMask = image.approvedMask ?? image.currentMask;
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [opacity, setOpacity] = useState(0.6);
  const [colourMap, setColourMap] = useState(colourMaps[0]?.name ?? '');
  /** The loaded table of the chosen colour map (the previous one's until it is in). */
  const [colours, setColours] = useState<{ name: string; table: ColourTable } | null>(null);
  const evaluatedCut = map ? pixelThreshold(evaluation, map.mapType) : null;
  // The slider starts where the evaluation put the map's threshold, when it kept one.
  const [threshold, setThreshold] = useState(() =>
    map && evaluatedCut !== null ? (thresholdShare(map.range, evaluatedCut) ?? 0.5) : 0.5,
  );
  const [showTruth, setShowTruth] = useState(true);
  // With the evaluation's predicted mask drawn, the slider's region is there to try other thresholds: off at first.
  const [showPrediction, setShowPrediction] = useState(evaluatedCut === null);
  const [showEvaluated, setShowEvaluated] = useState(true);
  const [evaluated, setEvaluated] = useState<EvaluatedMask | null>(null);
  const [evaluatedError, setEvaluatedError] = useState<{ mapType: string; message: string } | null>(null);
  const canvas = useRef<HTMLCanvasElement>(null);

  useEffect(() => {
    let cancelled = false;
    (async () => {
      const [original, heat, truth] = await Promise.all([
        loadImage(image.url),
        map ? loadLevels(map.levelsUrl) : Promise.resolve(null),
        truthMask ? loadMask(truthMask.url, image.width, image.height) : Promise.resolve(null),
      ]);
      if (cancelled) return;
      setLoaded({
        image: original,
        heat: heat && map ? { mapType: map.mapType, ...heat } : null,
        truth,
      });
    })().catch((error: unknown) => {
      if (!cancelled) setLoadError(error instanceof Error ? error.message : 'the maps could not be loaded');
    });
    return () => {
      cancelled = true;
    };
  }, [image.url, image.width, image.height, map, truthMask]);

  // The predicted mask is the API's (exact values, at the image's size), loaded apart: the other layers do not
  // wait for it, and without one (no evaluation threshold for this map) they are drawn all the same.
  const predictedMaskUrl = map && evaluatedCut !== null ? map.predictedMaskUrl : null;
  const evaluatedMapType = map?.mapType;
  useEffect(() => {
    if (!predictedMaskUrl || !evaluatedMapType) return;
    let cancelled = false;
    loadMask(predictedMaskUrl, image.width, image.height).then(
      (mask) => {
        if (!cancelled) setEvaluated({ mapType: evaluatedMapType, mask });
      },
      (error: unknown) => {
        if (cancelled) return;
        setEvaluatedError({
          mapType: evaluatedMapType,
          message: error instanceof Error ? error.message : 'it could not be loaded',
        });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [predictedMaskUrl, evaluatedMapType, image.width, image.height]);
  const evaluatedMask = evaluated && evaluated.mapType === map?.mapType ? evaluated.mask : null;

  const chosen = colourMaps.find((choice) => choice.name === colourMap);
  const chosenName = chosen?.name;
  const legendUrl = chosen?.legendUrl;
  useEffect(() => {
    if (!chosenName || !legendUrl) return;
    let cancelled = false;
    loadColourTable(legendUrl).then(
      (table) => {
        if (!cancelled) setColours({ name: chosenName, table });
      },
      (error: unknown) => {
        if (!cancelled) setLoadError(error instanceof Error ? error.message : 'the colour map could not be loaded');
      },
    );
    return () => {
      cancelled = true;
    };
  }, [chosenName, legendUrl]);

  const cutOff = map ? thresholdValue(map.range, threshold) : null;
  const scale = displayScale(image.width, image.height);
  const width = image.width * scale;
  const height = image.height * scale;

  // The heavy parts depend only on the data and the display size.
  const levels = useMemo(
    () =>
      loaded?.heat ? resizeLevels(loaded.heat.levels, loaded.heat.width, loaded.heat.height, width, height) : null,
    [loaded, width, height],
  );
  const truthEdge = useMemo(() => {
    if (!loaded?.truth) return null;
    const truth = resizeBinary(loaded.truth, image.width, image.height, width, height);
    return { region: truth, edge: dilate(contour(truth, width, height), width, height, 1) };
  }, [loaded, image.width, image.height, width, height]);
  const evaluatedEdge = useMemo(() => {
    if (!evaluatedMask) return null;
    const region = resizeBinary(evaluatedMask, image.width, image.height, width, height);
    return dilate(contour(region, width, height), width, height, 1);
  }, [evaluatedMask, image.width, image.height, width, height]);
  const predicted = useMemo(() => {
    if (!levels) return null;
    const region = thresholdLevels(levels, Math.round(threshold * 255));
    return { region, edge: dilate(contour(region, width, height), width, height, 1) };
  }, [levels, threshold, width, height]);

  useEffect(() => {
    const context = canvas.current?.getContext('2d');
    if (!context || !loaded) return;
    context.imageSmoothingEnabled = scale === 1;
    context.clearRect(0, 0, width, height);
    context.drawImage(loaded.image, 0, 0, width, height);
    if (levels && colours && opacity > 0) {
      const heat = new ImageData(width, height);
      colourise(levels, colours.table, heat.data);
      const layer = document.createElement('canvas');
      layer.width = width;
      layer.height = height;
      layer.getContext('2d')!.putImageData(heat, 0, 0);
      context.globalAlpha = opacity;
      context.drawImage(layer, 0, 0);
      context.globalAlpha = 1;
    }
    const lines = context.getImageData(0, 0, width, height);
    if (showTruth && truthEdge) paint(truthEdge.edge, lines.data, TRUTH);
    if (showEvaluated && evaluatedEdge) paint(evaluatedEdge, lines.data, EVALUATED);
    if (showPrediction && predicted) paint(predicted.edge, lines.data, PREDICTED);
    context.putImageData(lines, 0, 0);
  }, [
    loaded,
    levels,
    opacity,
    colours,
    predicted,
    truthEdge,
    evaluatedEdge,
    showTruth,
    showPrediction,
    showEvaluated,
    width,
    height,
    scale,
  ]);

  // ← and → walk the results; not while typing in a field or moving a slider.
  useEffect(() => {
    function onKey(event: KeyboardEvent) {
      const target = event.target as HTMLElement;
      if (target.closest('input, select, textarea') || event.altKey || event.ctrlKey || event.metaKey) return;
      if (event.key === 'ArrowLeft' && previousHref) router.push(previousHref);
      if (event.key === 'ArrowRight' && nextHref) router.push(nextHref);
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [router, previousHref, nextHref]);

  const overlap = useMemo(
    () => (predicted && truthEdge ? iou(predicted.region, truthEdge.region) : null),
    [predicted, truthEdge],
  );
  // At the image's own size, as the evaluation measures it.
  const evaluatedOverlap = useMemo(
    () => (evaluatedMask && loaded?.truth ? iou(evaluatedMask, loaded.truth) : null),
    [evaluatedMask, loaded],
  );
  const area = useMemo(() => {
    if (!predicted) return null;
    let count = 0;
    for (const value of predicted.region) count += value;
    return count / predicted.region.length;
  }, [predicted]);

  return (
    <>
      <section className="panel row" data-testid="result-reading" data-verdict={result.verdict ?? undefined}>
        <LabelBadge label={image.label} defectType={image.defectType} />
        <span>
          Score <ScoreReading raw={result.score} normalized={result.normalizedScore} />
          {result.normalizedScore !== null ? <span className="muted small"> (raw {score(result.score)})</span> : null}
        </span>
        <VerdictBadge verdict={result.verdict} />
        <MistakeBadge label={image.label} verdict={result.verdict} />
        {decision ? (
          <span className="muted small">
            threshold {score(decision.threshold)} ({decision.source === 'MANUAL' ? 'manual' : 'evaluation'})
          </span>
        ) : (
          <span className="muted small">no threshold yet, so no verdict</span>
        )}
        <span className="spacer" />
        {previousHref ? (
          <Link className="button" href={previousHref} title="Previous (more anomalous), ←">
            ← Previous
          </Link>
        ) : null}
        {nextHref ? (
          <Link className="button" href={nextHref} title="Next (less anomalous), →">
            Next →
          </Link>
        ) : null}
        <Link className="button primary" href={editorHref} data-testid="open-editor">
          {canAnnotate ? 'Edit mask' : 'View mask'}
        </Link>
      </section>

      <section className="panel">
        <div className="tabs" role="tablist" aria-label="Map">
          {result.maps.map((entry) => (
            <button
              key={entry.mapType}
              role="tab"
              type="button"
              aria-selected={entry.mapType === map?.mapType}
              onClick={() => choose(entry.mapType)}
            >
              {entry.mapType}
              {entry.score !== null ? <span className="small muted"> {score(entry.score)}</span> : null}
            </button>
          ))}
        </div>
        <div className="maps">
          <MapFigure url={image.url} caption={`Original (${image.width} × ${image.height})`} />
          <MapFigure url={result.reconstructionUrl} caption="Reconstruction" />
          <MapFigure url={map?.url ?? null} caption={`${map?.mapType ?? 'No'} map`} />
          <MapFigure url={map?.overlayUrl ?? null} caption={`${map?.mapType ?? 'No'} map over the original`} />
        </div>
      </section>

      <section className="panel overlay-view">
        <div>
          {loadError ? (
            <div className="notice error" role="alert">
              The maps could not be drawn: {loadError}.
            </div>
          ) : null}
          <canvas
            ref={canvas}
            width={width}
            height={height}
            aria-label={`${loaded?.heat?.mapType ?? 'Map'} overlay on the original image`}
            data-testid="overlay-canvas"
            data-map={loaded?.heat?.mapType}
            data-colour-map={colours?.name}
            data-predicted-mask={evaluatedEdge ? (showEvaluated ? 'shown' : 'hidden') : 'none'}
            style={{ maxWidth: width, aspectRatio: `${width} / ${height}` }}
          />
        </div>
        <div className="stack">
          <h2>Overlay</h2>
          <RangeField
            label={`Map opacity: ${percent(opacity)}`}
            name="Map opacity"
            value={opacity}
            step={0.05}
            onChange={setOpacity}
          />
          <SelectField
            label="Colour map"
            value={colourMap}
            options={colourMaps.map((choice) => [choice.name, choice.label] as const)}
            onChange={(name) => name && setColourMap(name)}
          />
          <RangeField
            label={`Threshold: ${percent(threshold)} of the run's range${cutOff !== null ? ` (${score(cutOff)})` : ''}`}
            name="Threshold"
            value={threshold}
            step={0.01}
            onChange={setThreshold}
            disabled={!map}
          />
          <label className="row">
            <input
              type="checkbox"
              checked={showPrediction}
              onChange={(event) => setShowPrediction(event.target.checked)}
            />
            <span className="swatch" style={{ background: `rgb(${PREDICTED.join(',')})` }} /> Region at this threshold
            {area !== null ? <span className="muted small">({percent(area, 1)} of the image)</span> : null}
          </label>
          <label className="row">
            <input
              type="checkbox"
              checked={showEvaluated}
              onChange={(event) => setShowEvaluated(event.target.checked)}
              disabled={evaluatedCut === null}
              aria-label="Predicted mask"
            />
            <span className="swatch" style={{ background: `rgb(${EVALUATED.join(',')})` }} /> Predicted mask
            {evaluatedCut !== null ? (
              <span className="muted small" data-testid="predicted-mask-threshold">
                (the evaluation&apos;s pixel F1-max threshold, {score(evaluatedCut)})
              </span>
            ) : (
              <span className="muted small">(no evaluation threshold for this map: it needs approved masks)</span>
            )}
          </label>
          {evaluatedError && evaluatedError.mapType === map?.mapType ? (
            <p className="small notice error" role="alert">
              The predicted mask could not be loaded: {evaluatedError.message}.
            </p>
          ) : null}
          <label className="row">
            <input
              type="checkbox"
              checked={showTruth}
              onChange={(event) => setShowTruth(event.target.checked)}
              disabled={!truthMask}
            />
            <span className="swatch" style={{ background: `rgb(${TRUTH.join(',')})` }} /> Ground truth
            {truthMask ? (
              <>
                {' '}
                v{truthMask.version}
                <MaskStatusBadge status={image.approvedMask ? 'APPROVED' : (image.currentMask?.status ?? 'DRAFT')} />
              </>
            ) : (
              <span className="muted small">(no mask)</span>
            )}
          </label>
          {overlap !== null ? (
            <p className="small">
              Overlap with the ground truth (IoU) at this threshold: <strong>{percent(overlap, 1)}</strong>
            </p>
          ) : null}
          {evaluatedOverlap !== null ? (
            <p className="small" data-testid="predicted-mask-iou">
              The predicted mask&apos;s overlap with the ground truth (IoU):{' '}
              <strong>{percent(evaluatedOverlap, 1)}</strong>
            </p>
          ) : null}
          <p className="small muted">
            <kbd>←</kbd> <kbd>→</kbd> previous / next result
          </p>
        </div>
      </section>

      <section className="panel">
        <h2>Downloads</h2>
        <p className="small muted">
          Each map&apos;s values at the image&apos;s own size (float32), to re-threshold or recompute a metric, and its
          predicted mask at the evaluation&apos;s pixel F1-max threshold.
        </p>
        <div className="table-wrap">
          <table className="data" data-testid="map-downloads">
            <tbody>
              {result.maps.map((entry) => {
                const cut = pixelThreshold(evaluation, entry.mapType);
                const files = mapDownloads(image.name, entry, cut);
                return (
                  <tr key={entry.mapType} data-map={entry.mapType}>
                    <th scope="row">{entry.mapType}</th>
                    {files.map((file) => (
                      <td key={file.filename}>
                        <a href={file.href} download={file.filename}>
                          {file.text}
                        </a>
                      </td>
                    ))}
                    {cut === null ? <td className="muted small">No predicted mask: no evaluation threshold</td> : null}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}

function MapFigure({ url, caption }: { url: string | null; caption: string }) {
  return (
    <figure>
      {url ? (
        <img src={url} alt={caption} />
      ) : (
        <div className="empty small" style={{ aspectRatio: '1', padding: '1rem' }}>
          Not available
        </div>
      )}
      <figcaption>{caption}</figcaption>
    </figure>
  );
}
