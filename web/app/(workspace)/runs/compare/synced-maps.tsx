'use client';

import { useEffect, useRef, useState, type PointerEvent as ReactPointerEvent } from 'react';

import { SelectField } from '@/components/fields';
import { LabelBadge } from '@/components/ui';
import { MistakeBadge, ScoreReading, VerdictBadge } from '@/components/verdict';
import { RUN_COLOURS, type ImageReading } from '@/lib/domain/compare';
import { pickMapType, type MapType } from '@/lib/domain/results';
import { FIT_VIEW, panBy, viewTransform, zoomAt, type SyncedView } from '@/lib/synced-view';

type Form = 'overlay' | 'map';

/**
 * One image's maps, one panel per run, sharing the map type, the form (over the image or alone) and the view:
 * a wheel or a drag on any panel, or the buttons, zooms and pans them all.
 */
export function SyncedMaps({
  image,
  runs,
  initialMapType,
}: {
  image: ImageReading['image'];
  runs: { id: string; label: string; reading: ImageReading | null }[];
  initialMapType: string;
}) {
  const mapTypes = [...new Set(runs.flatMap((run) => run.reading?.maps.map((map) => map.mapType) ?? []))];
  const [mapType, setMapType] = useState(pickMapType(mapTypes, initialMapType));
  const [form, setForm] = useState<Form>('overlay');
  const [view, setView] = useState<SyncedView>(FIT_VIEW);
  const drag = useRef<{ x: number; y: number; width: number; height: number } | null>(null);
  const panels = useRef<HTMLDivElement>(null);

  // A wheel zooms at the cursor; React's wheel listeners are passive, so the page would scroll as well.
  useEffect(() => {
    const root = panels.current;
    if (!root) return;
    const onWheel = (event: WheelEvent) => {
      const frame = (event.target as HTMLElement).closest('.synced-frame');
      if (!frame) return;
      event.preventDefault();
      const box = frame.getBoundingClientRect();
      const at = { x: (event.clientX - box.left) / box.width, y: (event.clientY - box.top) / box.height };
      setView((now) => zoomAt(now, event.deltaY < 0 ? 1.25 : 0.8, at));
    };
    root.addEventListener('wheel', onWheel, { passive: false });
    return () => root.removeEventListener('wheel', onWheel);
  }, []);

  function onPointerDown(event: ReactPointerEvent<HTMLDivElement>) {
    const box = event.currentTarget.getBoundingClientRect();
    drag.current = { x: event.clientX, y: event.clientY, width: box.width, height: box.height };
    event.currentTarget.setPointerCapture(event.pointerId);
  }
  function onPointerMove(event: ReactPointerEvent<HTMLDivElement>) {
    const start = drag.current;
    if (!start) return;
    drag.current = { ...start, x: event.clientX, y: event.clientY };
    setView((now) => panBy(now, (event.clientX - start.x) / start.width, (event.clientY - start.y) / start.height));
  }
  function onPointerUp() {
    drag.current = null;
  }

  const zoomed = view.scale > 1;
  return (
    <div className="stack" data-testid="synced-maps" data-map-type={mapType}>
      <div className="row">
        <strong className="mono">{image.name}</strong>
        <LabelBadge label={image.label} defectType={image.defectType} />
        <span className="spacer" />
        <SelectField<MapType>
          label="Map"
          name="syncedMap"
          value={mapType ?? ''}
          options={mapTypes.map((type) => [type, type] as const)}
          onChange={(value) => value && setMapType(value)}
          className="row small"
        />
        <SelectField<Form>
          label="Show"
          name="syncedForm"
          value={form}
          options={[
            ['overlay', 'Over the image'],
            ['map', 'Map alone'],
          ]}
          onChange={(value) => value && setForm(value)}
          className="row small"
        />
        <div className="row" role="group" aria-label="Zoom">
          <button type="button" className="button" onClick={() => setView((now) => zoomAt(now, 2))}>
            Zoom in
          </button>
          <button
            type="button"
            className="button"
            onClick={() => setView((now) => zoomAt(now, 0.5))}
            disabled={!zoomed}
          >
            Zoom out
          </button>
          <button type="button" className="button" onClick={() => setView(FIT_VIEW)} disabled={!zoomed}>
            Fit
          </button>
        </div>
      </div>
      <div className="synced-panels" ref={panels}>
        {runs.map((run, index) => {
          const map = run.reading?.maps.find((entry) => entry.mapType === mapType) ?? null;
          return (
            <figure
              key={run.id}
              className="synced-panel"
              style={{ borderColor: RUN_COLOURS[index] }}
              data-testid="synced-map"
              data-run-id={run.id}
              data-map-type={map?.mapType ?? ''}
              data-view={`${view.scale.toFixed(4)},${view.x.toFixed(4)},${view.y.toFixed(4)}`}
            >
              <figcaption className="row small">
                <span className="swatch" style={{ background: RUN_COLOURS[index] }} />
                <strong>{run.label}</strong>
                {run.reading ? (
                  <>
                    <ScoreReading raw={run.reading.score} normalized={run.reading.normalizedScore} />
                    <VerdictBadge verdict={run.reading.verdict} />
                    <MistakeBadge label={image.label} verdict={run.reading.verdict} />
                  </>
                ) : null}
              </figcaption>
              <div
                className="synced-frame"
                style={{ aspectRatio: `${image.width} / ${image.height}` }}
                onPointerDown={onPointerDown}
                onPointerMove={onPointerMove}
                onPointerUp={onPointerUp}
                onPointerCancel={onPointerUp}
              >
                {map ? (
                  <div className="synced-content" style={{ transform: viewTransform(view) }}>
                    <img
                      src={form === 'overlay' ? map.overlayUrl : map.url}
                      alt={`${mapType} map of ${image.name} by ${run.label}`}
                      draggable={false}
                    />
                  </div>
                ) : (
                  <p className="muted small synced-missing">
                    {run.reading ? `No ${mapType} map in this run.` : 'This run did not score the image.'}
                  </p>
                )}
              </div>
            </figure>
          );
        })}
      </div>
    </div>
  );
}
