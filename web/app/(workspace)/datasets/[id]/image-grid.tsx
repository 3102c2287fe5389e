'use client';

import Link from 'next/link';
import { useEffect, useLayoutEffect, useRef, useState, useSyncExternalStore, type KeyboardEvent } from 'react';

import { EmptyState, LabelBadge } from '@/components/ui';
import { imagePage, imageQueryToSearch, type ImagePage, type ImageQuery } from '@/lib/domain/datasets';
import { browserClient } from '@/lib/graphql/browser';
import { describeError } from '@/lib/graphql/client';
import { count } from '@/lib/format';
import { PagedList } from '@/lib/paged-list';
import { gridLayout, visibleRange } from '@/lib/virtual-grid';

const MIN_TILE = 150;
const GAP = 10;
const CAPTION = 26;
const OVERSCAN_ROWS = 2;

/**
 * The dataset's images as a virtualised grid: only the rows in view (and two either side) are in the DOM, and
 * pages of 100 load as the view nears the end of what is loaded, so datasets of any size scroll smoothly.
 * Arrow keys move between tiles; Enter opens one.
 */
export function ImageGrid({ datasetId, query, initial }: { datasetId: string; query: ImageQuery; initial: ImagePage }) {
  // Filters never change for one grid: the page remounts it (key) when they do.
  const [list] = useState(
    () =>
      new PagedList(
        async (after) => {
          const page = await imagePage(browserClient, datasetId, query, after);
          return { ...page, items: page.images };
        },
        { ...initial, items: initial.images },
        describeError,
      ),
  );
  const { items: images, loading, error } = useSyncExternalStore(list.subscribe, list.getSnapshot, list.getSnapshot);
  const [viewport, setViewport] = useState({ width: 0, height: 0, scrollTop: 0 });
  const scroller = useRef<HTMLDivElement>(null);
  const total = initial.totalCount;

  useLayoutEffect(() => {
    const element = scroller.current;
    if (!element) return;
    const measure = () =>
      setViewport({ width: element.clientWidth, height: element.clientHeight, scrollTop: element.scrollTop });
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  const layout = gridLayout(viewport.width, { minTile: MIN_TILE, gap: GAP, caption: CAPTION });
  const range = visibleRange(layout, viewport.scrollTop, viewport.height, total, OVERSCAN_ROWS);

  useEffect(() => list.ensure(range.end), [list, range.end]);

  const editorSearch = imageQueryToSearch(query);
  editorSearch.set('dataset', datasetId);

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const focused = (event.target as HTMLElement).closest<HTMLElement>('[data-index]');
    if (!focused || layout.columns === 0) return;
    const index = Number(focused.dataset.index);
    const step = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: layout.columns, ArrowUp: -layout.columns }[event.key];
    if (step === undefined) return;
    event.preventDefault();
    const next = Math.min(total - 1, Math.max(0, index + step));
    const element = scroller.current!;
    const top = Math.floor(next / layout.columns) * layout.rowHeight;
    if (top < element.scrollTop) element.scrollTop = top;
    else if (top + layout.rowHeight > element.scrollTop + element.clientHeight)
      element.scrollTop = top + layout.rowHeight - element.clientHeight;
    requestAnimationFrame(() =>
      element.querySelector<HTMLElement>(`[data-index="${next}"]`)?.focus({ preventScroll: true }),
    );
  }

  if (total === 0) {
    return (
      <div className="panel">
        <EmptyState title="No images match these filters">
          <p>Change or clear the filters above.</p>
        </EmptyState>
      </div>
    );
  }

  const tiles = [];
  for (let index = range.start; index < range.end; index++) {
    const left = GAP + (index % layout.columns) * (layout.tileWidth + GAP);
    const top = GAP + Math.floor(index / layout.columns) * layout.rowHeight;
    const style = { left, top, width: layout.tileWidth, height: layout.tileWidth + CAPTION };
    const image = images[index];
    if (!image) {
      tiles.push(<div key={`placeholder-${index}`} className="tile skeleton" style={style} aria-hidden="true" />);
      continue;
    }
    tiles.push(
      <Link
        key={image.id}
        href={`/annotate/${image.id}?${editorSearch.toString()}`}
        prefetch={false}
        className="tile"
        style={style}
        data-index={index}
        data-testid="grid-tile"
        title={`${image.name} (${image.width} × ${image.height})`}
      >
        <img src={image.thumbnailUrl} alt={image.name} loading="lazy" decoding="async" />
        <span className="caption">
          <span className="name">{image.name.split('/').at(-1)}</span>
          <LabelBadge label={image.label} defectType={image.defectType} />
          {image.currentMask ? (
            <span
              className={`mask-dot ${image.currentMask.status.toLowerCase()}`}
              title={`Mask v${image.maskVersion}: ${image.currentMask.status.toLowerCase()}`}
              aria-label={`mask ${image.currentMask.status.toLowerCase()}`}
            />
          ) : null}
        </span>
      </Link>,
    );
  }

  return (
    <>
      <div className="row small muted" style={{ marginBottom: '0.4rem' }}>
        <span data-testid="image-count">
          {count(total)} image{total === 1 ? '' : 's'}
        </span>
        <span className="legend" aria-hidden="true">
          {(['draft', 'submitted', 'approved', 'rejected'] as const).map((status) => (
            <span key={status} className="row" style={{ gap: '0.3rem' }}>
              <span className={`mask-dot ${status}`} /> {status}
            </span>
          ))}
        </span>
        {loading ? <span>Loading more…</span> : null}
        {error ? (
          <span className="notice error" role="alert">
            {error}{' '}
            <button type="button" onClick={() => list.retry()}>
              Retry
            </button>
          </span>
        ) : null}
      </div>
      <div
        ref={scroller}
        className="virtual-grid"
        style={{ height: 'max(420px, calc(100vh - 330px))' }}
        onScroll={(event) => {
          const scrollTop = event.currentTarget.scrollTop;
          setViewport((previous) => (previous.scrollTop === scrollTop ? previous : { ...previous, scrollTop }));
        }}
        onKeyDown={onKeyDown}
        data-testid="image-grid"
      >
        <div style={{ height: layout.rowHeight * Math.ceil(total / Math.max(1, layout.columns)) + GAP }} />
        {tiles}
      </div>
    </>
  );
}
