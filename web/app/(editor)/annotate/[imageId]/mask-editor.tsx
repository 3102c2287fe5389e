'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useCallback, useEffect, useLayoutEffect, useRef, useState, type RefObject } from 'react';

import { useSubscription } from '@/components/live';
import { LabelBadge, MaskStatusBadge } from '@/components/ui';
import { loadImage, loadPixels } from '@/lib/browser-images';
import {
  contextHref,
  editorQueue,
  latestMask,
  reviewMask,
  saveMask,
  type AnnotatedImage,
  type EditorContext,
  type MaskVersion,
  type QueueEntry,
} from '@/lib/domain/masks';
import { browserClient } from '@/lib/graphql/browser';
import { describeError } from '@/lib/graphql/client';
import { MaskChangedDocument, type ReviewDecision } from '@/lib/graphql/generated';
import { count, dateTime, percent } from '@/lib/format';
import { colourise, levelsFromInferno, resizeLevels } from '@/lib/maps';
import { keepDraft, takeDraft, type Draft } from '@/lib/mask/drafts';
import { StrokeHistory } from '@/lib/mask/history';
import { loadMask, maskToPngBase64 } from '@/lib/mask/png';
import { MaskRaster } from '@/lib/mask/raster';
import { MaskStage, type StageSnapshot, type Tool } from '@/lib/mask/stage';

interface EditorUser {
  id: string;
  canAnnotate: boolean;
  canReview: boolean;
}

type Conflict = { currentVersion: number; mask: MaskVersion | null };

// Queues are fetched once per context and reused while the annotator moves through them.
const queues = new Map<string, Promise<QueueEntry[]>>();

function queueFor(context: EditorContext, key: string): Promise<QueueEntry[]> {
  let queue = queues.get(key);
  if (!queue) {
    queue = editorQueue(browserClient, context);
    queues.set(key, queue);
    queue.catch(() => queues.delete(key));
  }
  return queue;
}

/** What the side panels show of the stage (everything but the cursor, which moves all the time). */
type Panels = Omit<StageSnapshot, 'cursor'>;

function panelsOf(snapshot: StageSnapshot): Panels {
  const { cursor: _cursor, ...panels } = snapshot;
  return panels;
}

function samePanels(a: Panels, b: StageSnapshot): boolean {
  return (Object.keys(a) as (keyof Panels)[]).every((key) => a[key] === b[key]);
}

const TOOLS: { tool: Tool; label: string; key: string }[] = [
  { tool: 'brush', label: 'Brush', key: 'B' },
  { tool: 'eraser', label: 'Eraser', key: 'E' },
  { tool: 'polygon', label: 'Polygon', key: 'P' },
];

/**
 * The annotators' mask editor. The mask lives in a MaskRaster (one byte per pixel) drawn by a MaskStage; React
 * holds the panels. Saving is append-only with a base version: when someone saved first, the API refuses, and
 * the annotator's strokes stay on screen while they choose how to combine the two.
 */
export function MaskEditor({
  image,
  context,
  contextSearch,
  user,
}: {
  image: AnnotatedImage;
  context: EditorContext;
  contextSearch: string;
  user: EditorUser;
}) {
  const router = useRouter();
  const canvas = useRef<HTMLCanvasElement>(null);
  const stage = useRef<MaskStage | null>(null);
  const work = useRef<Draft | null>(null);
  const statusListener = useRef<((snapshot: StageSnapshot) => void) | null>(null);
  const [ui, setUi] = useState<Panels | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [restored, setRestored] = useState(false);
  const [baseVersion, setBaseVersion] = useState(image.maskVersion);
  const [current, setCurrent] = useState<MaskVersion | null>(image.currentMask);
  const [maskOpacity, setMaskOpacity] = useState(0.5);
  const [maskVisible, setMaskVisible] = useState(true);
  const [hintOpacity, setHintOpacity] = useState(0.5);
  // Off until asked for (H): the map tints the whole image, which hides texture the annotator needs to see.
  const [hintVisible, setHintVisible] = useState(false);
  const [hintAvailable, setHintAvailable] = useState(false);
  const [submit, setSubmit] = useState(true);
  const [saveOnLeave, setSaveOnLeave] = useState(false);
  const [saving, setSaving] = useState(false);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error' | 'warn'; text: string } | null>(null);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [queue, setQueue] = useState<QueueEntry[] | null>(null);
  const [reviewComment, setReviewComment] = useState('');
  const [reviewing, setReviewing] = useState(false);
  const editable = user.canAnnotate;
  const ready = ui !== null;

  // ----- loading: the image, then the kept draft or the latest saved mask ------------------------------------

  useEffect(() => {
    let cancelled = false;
    const draft = takeDraft(image.id);
    (async () => {
      const [element, saved] = await Promise.all([
        loadImage(image.url),
        draft || !image.currentMask
          ? Promise.resolve(null)
          : loadMask(image.currentMask.url, image.width, image.height),
      ]);
      if (cancelled || !canvas.current) {
        if (draft) keepDraft(image.id, draft);
        return;
      }
      const state: Draft = draft ?? {
        raster: new MaskRaster(image.width, image.height, saved ?? undefined),
        history: new StrokeHistory(),
        baseVersion: image.maskVersion,
      };
      work.current = state;
      if (draft) {
        setRestored(true);
        setBaseVersion(draft.baseVersion);
      }
      const { raster, history } = state;
      const instance = new MaskStage(canvas.current, element, raster, history, {
        editable,
        onChange: (snapshot) => {
          statusListener.current?.(snapshot);
          setUi((previous) => (previous && samePanels(previous, snapshot) ? previous : panelsOf(snapshot)));
        },
      });
      stage.current = instance;
      instance.resize();
    })().catch((error: unknown) => {
      if (!cancelled) setLoadError(error instanceof Error ? error.message : 'the image could not be loaded');
    });
    return () => {
      cancelled = true;
      stage.current?.destroy();
      stage.current = null;
      // Leaving with unsaved strokes (another image, another page): keep them for when the annotator is back.
      if (work.current?.history.dirty) keepDraft(image.id, work.current);
      work.current = null;
    };
  }, [image.id, image.url, image.width, image.height, image.currentMask, image.maskVersion, editable]);

  useLayoutEffect(() => {
    const element = canvas.current;
    if (!element) return;
    const observer = new ResizeObserver(() => stage.current?.resize());
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  useEffect(() => stage.current?.setMaskLayer(maskOpacity, maskVisible), [maskOpacity, maskVisible, ready]);
  useEffect(() => stage.current?.setHintLayer(hintOpacity, hintVisible), [hintOpacity, hintVisible, ready]);

  // ----- the queue for next/previous, and the attention hint from the run's result ---------------------------

  useEffect(() => {
    let cancelled = false;
    queueFor(context, contextSearch).then(
      (entries) => !cancelled && setQueue(entries),
      () => !cancelled && setQueue([]),
    );
    return () => {
      cancelled = true;
    };
  }, [context, contextSearch]);

  const position = queue ? queue.findIndex((entry) => entry.imageId === image.id) : -1;
  const hintUrl = queue && position >= 0 ? queue[position]!.hintUrl : null;

  useEffect(() => {
    if (!hintUrl || !ready) return;
    let cancelled = false;
    loadPixels(hintUrl).then(
      (map) => {
        if (cancelled) return;
        const levels = resizeLevels(
          levelsFromInferno(map.data, map.width * map.height),
          map.width,
          map.height,
          image.width,
          image.height,
        );
        const layer = new ImageData(image.width, image.height);
        colourise(levels, 'inferno', layer.data);
        stage.current?.setHint(layer);
        setHintAvailable(true);
      },
      () => {},
    );
    return () => {
      cancelled = true;
    };
  }, [hintUrl, image.width, image.height, ready]);

  // ----- saving and conflicts ---------------------------------------------------------------------------------

  const save = useCallback(
    async (base: number = baseVersion): Promise<boolean> => {
      const state = work.current;
      if (!state || !editable) return false;
      setSaving(true);
      setMessage(null);
      try {
        const outcome = await saveMask(browserClient, {
          imageId: image.id,
          pngBase64: maskToPngBase64(state.raster.data, image.width, image.height),
          baseVersion: base,
          submit,
        });
        if (outcome.kind === 'conflict') {
          const latest = await latestMask(browserClient, image.id).catch(() => null);
          setConflict({ currentVersion: outcome.currentVersion, mask: latest?.mask ?? null });
          return false;
        }
        state.baseVersion = outcome.mask.version;
        setBaseVersion(outcome.mask.version);
        setCurrent(outcome.mask);
        setConflict(null);
        setRestored(false);
        stage.current?.markSaved();
        setMessage({
          kind: 'ok',
          text: `Saved as version ${outcome.mask.version}${outcome.mask.status === 'SUBMITTED' ? ', submitted for review' : ' (draft)'}`,
        });
        return true;
      } catch (error) {
        setMessage({ kind: 'error', text: `Not saved: ${describeError(error)}` });
        return false;
      } finally {
        setSaving(false);
      }
    },
    [baseVersion, editable, image.id, image.width, image.height, submit],
  );

  async function resolveConflict(choice: 'mine' | 'merge' | 'theirs') {
    if (!conflict) return;
    const state = work.current;
    if (choice === 'mine') {
      if (state) state.baseVersion = conflict.currentVersion;
      setBaseVersion(conflict.currentVersion);
      await save(conflict.currentVersion);
      return;
    }
    try {
      const theirs = conflict.mask
        ? await loadMask(conflict.mask.url, image.width, image.height)
        : new Uint8Array(image.width * image.height);
      stage.current?.replaceMask(theirs, choice === 'merge' ? 'add' : 'set');
      if (state) state.baseVersion = conflict.currentVersion;
      setBaseVersion(conflict.currentVersion);
      setCurrent(conflict.mask);
      if (choice === 'theirs') stage.current?.markSaved();
      setConflict(null);
      setMessage({
        kind: 'warn',
        text:
          choice === 'merge'
            ? `Version ${conflict.currentVersion} is added to your strokes (Ctrl+Z undoes that). Save to keep the result.`
            : `Showing version ${conflict.currentVersion}; your strokes are one undo away (Ctrl+Z).`,
      });
    } catch (error) {
      setMessage({ kind: 'error', text: describeError(error) });
    }
  }

  // Someone else saves or reviews while this image is open: reload when nothing is unsaved, warn otherwise.
  useSubscription(MaskChangedDocument, { datasetId: image.dataset.id }, (data) => {
    const { kind, mask } = data.maskChanged;
    if (mask.image.id !== image.id) return;
    if (kind === 'REVIEWED' || mask.version === baseVersion) {
      setCurrent((previous) =>
        previous?.id === mask.id || !previous || mask.version >= previous.version ? mask : previous,
      );
      return;
    }
    if (mask.version <= baseVersion || mask.author?.id === user.id) return;
    const who = mask.author?.name ?? 'Someone';
    if (work.current?.history.dirty) {
      setMessage({
        kind: 'warn',
        text: `${who} saved version ${mask.version} while you were editing: saving will ask how to combine it with yours.`,
      });
      return;
    }
    void loadMask(mask.url, image.width, image.height).then((data) => {
      stage.current?.replaceMask(data, 'set');
      stage.current?.markSaved();
      if (work.current) work.current.baseVersion = mask.version;
      setBaseVersion(mask.version);
      setCurrent(mask);
      setMessage({ kind: 'warn', text: `${who} saved version ${mask.version}; it is shown now.` });
    });
  });

  // ----- review -------------------------------------------------------------------------------------------------

  async function review(decision: ReviewDecision) {
    if (!current) return;
    setReviewing(true);
    setMessage(null);
    try {
      const reviewed = await reviewMask(browserClient, current.id, decision, reviewComment);
      setCurrent(reviewed);
      setReviewComment('');
      setMessage({
        kind: 'ok',
        text: `Version ${reviewed.version} ${decision === 'APPROVE' ? 'approved' : 'rejected'}`,
      });
    } catch (error) {
      setMessage({ kind: 'error', text: describeError(error) });
    } finally {
      setReviewing(false);
    }
  }

  // ----- navigation ---------------------------------------------------------------------------------------------

  const go = useCallback(
    async (step: 1 | -1) => {
      if (!queue || position < 0) return;
      const target = queue[position + step];
      if (!target) return;
      if (saveOnLeave && work.current?.history.dirty && !(await save())) return;
      router.push(`/annotate/${target.imageId}?${contextSearch}`);
    },
    [queue, position, saveOnLeave, save, router, contextSearch],
  );

  useEffect(() => {
    function beforeUnload(event: BeforeUnloadEvent) {
      if (work.current?.history.dirty) event.preventDefault();
    }
    window.addEventListener('beforeunload', beforeUnload);
    return () => window.removeEventListener('beforeunload', beforeUnload);
  }, []);

  // ----- keyboard -------------------------------------------------------------------------------------------------

  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      const target = event.target as HTMLElement;
      if (target.closest('input, textarea, select')) return;
      const instance = stage.current;
      const key = event.key;
      const command = event.ctrlKey || event.metaKey;
      if (key === ' ') {
        event.preventDefault();
        instance?.setSpaceHeld(true);
        return;
      }
      if (command && key.toLowerCase() === 'z') {
        event.preventDefault();
        if (event.shiftKey) instance?.redo();
        else instance?.undo();
        return;
      }
      if (command && key.toLowerCase() === 'y') {
        event.preventDefault();
        instance?.redo();
        return;
      }
      if (command && key.toLowerCase() === 's') {
        event.preventDefault();
        if (editable) void save();
        return;
      }
      if (command || event.altKey) return;
      if (key === 'ArrowRight') void go(1);
      else if (key === 'ArrowLeft') void go(-1);
      else if (!instance) return;
      else if (key === '[') instance.stepBrushSize(-1);
      else if (key === ']') instance.stepBrushSize(1);
      else if (key === 'b' || key === 'B') instance.setTool('brush');
      else if (key === 'e' || key === 'E') instance.setTool('eraser');
      else if (key === 'p' || key === 'P') instance.setTool('polygon');
      else if (key === 'Enter') instance.closePolygon();
      else if (key === 'Escape') instance.cancelPolygon();
      else if (key === 'Backspace') instance.removeLastVertex();
      else if (key === '0') instance.fit();
      else if (key === '+' || key === '=') instance.zoomBy(1.25);
      else if (key === '-') instance.zoomBy(0.8);
      else if (key === 'h' || key === 'H') setHintVisible((visible) => !visible);
      else if (key === 'm' || key === 'M') setMaskVisible((visible) => !visible);
      else return;
      event.preventDefault();
    }
    function onKeyUp(event: KeyboardEvent) {
      if (event.key === ' ') stage.current?.setSpaceHeld(false);
    }
    window.addEventListener('keydown', onKeyDown);
    window.addEventListener('keyup', onKeyUp);
    return () => {
      window.removeEventListener('keydown', onKeyDown);
      window.removeEventListener('keyup', onKeyUp);
    };
  }, [editable, save, go]);

  // ----- layout -------------------------------------------------------------------------------------------------

  const dirty = ui?.dirty ?? false;

  return (
    <div
      className="editor"
      data-testid="mask-editor"
      data-ready={ready}
      data-mask-pixels={ui?.pixels ?? 0}
      data-dirty={dirty}
      data-base-version={baseVersion}
    >
      <aside className="editor-side" aria-label="Tools">
        <div>
          <div className="crumbs">
            <Link href={contextHref(context)}>← Back to {context.kind === 'run' ? 'results' : 'the dataset'}</Link>
          </div>
          <h2 className="mono" style={{ fontSize: '0.95rem', wordBreak: 'break-all' }}>
            {image.name}
          </h2>
          <div className="row small">
            <LabelBadge label={image.label} defectType={image.defectType} />
            <span className="muted">
              {image.width} × {image.height}
            </span>
          </div>
        </div>
        <div className="row">
          <button onClick={() => void go(-1)} disabled={!queue || position <= 0} title="Previous image (←)">
            ← Prev
          </button>
          <span className="small muted">{queue && position >= 0 ? `${position + 1} / ${queue.length}` : '…'}</span>
          <button
            onClick={() => void go(1)}
            disabled={!queue || position < 0 || position >= queue.length - 1}
            title="Next image (→)"
          >
            Next →
          </button>
        </div>
        {editable ? (
          <>
            <div>
              <h3>Tools</h3>
              <div className="toolbar" role="toolbar" aria-label="Drawing tools">
                {TOOLS.map((entry) => (
                  <button
                    key={entry.tool}
                    aria-pressed={ui?.tool === entry.tool}
                    onClick={() => stage.current?.setTool(entry.tool)}
                    title={`${entry.label} (${entry.key})`}
                  >
                    {entry.label}
                  </button>
                ))}
              </div>
            </div>
            <label className="field">
              Brush size: {ui?.brushSize ?? 8} px
              <input
                type="range"
                min={1}
                max={128}
                value={ui?.brushSize ?? 8}
                onChange={(event) => stage.current?.setBrushSize(Number(event.target.value))}
                aria-label="Brush size"
              />
            </label>
            <div className="row">
              <button onClick={() => stage.current?.undo()} disabled={!ui?.canUndo} title="Undo (Ctrl+Z)">
                Undo
              </button>
              <button onClick={() => stage.current?.redo()} disabled={!ui?.canRedo} title="Redo (Ctrl+Shift+Z)">
                Redo
              </button>
            </div>
          </>
        ) : (
          <div className="notice">Read-only: your role can view masks but not change them.</div>
        )}
        <div>
          <h3>Layers</h3>
          <label className="check small">
            <input type="checkbox" checked={maskVisible} onChange={(event) => setMaskVisible(event.target.checked)} />
            Mask (M)
          </label>
          <input
            type="range"
            min={0}
            max={1}
            step={0.05}
            value={maskOpacity}
            onChange={(event) => setMaskOpacity(Number(event.target.value))}
            aria-label="Mask opacity"
            style={{ width: '100%' }}
          />
          <label className="check small">
            <input
              type="checkbox"
              checked={hintVisible}
              disabled={!hintAvailable}
              onChange={(event) => setHintVisible(event.target.checked)}
            />
            Attention hint (H)
            {hintAvailable ? '' : context.kind === 'run' ? ' — loading' : ' — open from a run’s results'}
          </label>
          <input
            type="range"
            min={0}
            max={1}
            step={0.05}
            value={hintOpacity}
            disabled={!hintAvailable}
            onChange={(event) => setHintOpacity(Number(event.target.value))}
            aria-label="Hint opacity"
            style={{ width: '100%' }}
          />
        </div>
        <details>
          <summary className="small">Keyboard</summary>
          <div className="keys" style={{ marginTop: '0.5rem' }}>
            <kbd>B E P</kbd> <span>brush, eraser, polygon</span>
            <kbd>[ ]</kbd> <span>brush size</span>
            <kbd>Ctrl Z</kbd> <span>undo</span>
            <kbd>Ctrl ⇧ Z</kbd> <span>redo</span>
            <kbd>Ctrl S</kbd> <span>save</span>
            <kbd>Wheel</kbd> <span>zoom at the cursor</span>
            <kbd>Space drag</kbd> <span>pan (or middle button)</span>
            <kbd>0</kbd> <span>fit the image</span>
            <kbd>Enter Esc</kbd> <span>close / cancel a polygon</span>
            <kbd>← →</kbd> <span>previous / next image</span>
            <kbd>H M</kbd> <span>hint, mask on or off</span>
          </div>
        </details>
      </aside>

      <div className="editor-stage">
        <canvas ref={canvas} tabIndex={0} aria-label="Image and mask: draw on it" data-testid="editor-canvas" />
        {loadError ? (
          <div className="notice error" role="alert" style={{ position: 'absolute', top: 12, left: 12, right: 12 }}>
            The image could not be shown: {loadError}.
          </div>
        ) : !ready ? (
          <div className="editor-status" style={{ top: 12, bottom: 'auto' }}>
            Loading the image…
          </div>
        ) : null}
        <StatusBar listenerRef={statusListener} editable={editable} />
      </div>

      <aside className="editor-side right" aria-label="Mask">
        <div>
          <h3>Mask</h3>
          <p className="small" style={{ margin: 0 }}>
            <span data-testid="mask-pixel-count">{count(ui?.pixels ?? 0)}</span> defective pixels (
            {percent((ui?.pixels ?? 0) / (image.width * image.height), 1)})
          </p>
          <p className="small muted" style={{ margin: 0 }}>
            {editable ? 'Editing from' : 'Showing'} version {baseVersion || 'none'}
            {dirty ? ' · unsaved changes' : ''}
          </p>
        </div>
        {restored ? (
          <div className="notice warn small" role="status">
            Your unsaved changes to this image were kept and are shown again.
          </div>
        ) : null}
        {conflict ? (
          <div className="notice error stack" role="alert" data-testid="conflict">
            <strong>Someone saved first.</strong>
            <span className="small">
              {conflict.mask?.author?.name ?? 'Another annotator'} saved version {conflict.currentVersion}
              {conflict.mask ? ` (${dateTime(conflict.mask.createdAt)})` : ''} while you were editing. Nothing of yours
              was saved, and nothing was lost: your strokes are still here.
            </span>
            <button className="primary" onClick={() => void resolveConflict('mine')} disabled={saving}>
              Save mine as version {conflict.currentVersion + 1}
            </button>
            <button onClick={() => void resolveConflict('merge')} disabled={saving}>
              Add theirs to mine
            </button>
            <button onClick={() => void resolveConflict('theirs')} disabled={saving}>
              Show theirs instead
            </button>
          </div>
        ) : null}
        {message ? (
          <div className={`notice ${message.kind} small`} role={message.kind === 'error' ? 'alert' : 'status'}>
            {message.text}
          </div>
        ) : null}
        {editable ? (
          <div className="stack">
            <label className="check small">
              <input type="checkbox" checked={submit} onChange={(event) => setSubmit(event.target.checked)} />
              Submit for review
            </label>
            <label className="check small">
              <input type="checkbox" checked={saveOnLeave} onChange={(event) => setSaveOnLeave(event.target.checked)} />
              Save when moving to another image
            </label>
            <button
              className="primary"
              onClick={() => void save()}
              disabled={saving || !ready || Boolean(conflict)}
              data-testid="save-mask"
            >
              {saving ? 'Saving…' : 'Save (Ctrl+S)'}
            </button>
            <span className="small muted">
              Unsaved changes stay with this image while you look at others (until the page is reloaded).
            </span>
          </div>
        ) : null}
        <div>
          <h3>Saved version</h3>
          {current ? (
            <div
              className="stack small"
              data-testid="current-mask"
              data-status={current.status}
              data-version={current.version}
            >
              <div className="row">
                <strong>v{current.version}</strong>
                <MaskStatusBadge status={current.status} />
                <span className="muted">
                  {current.source === 'IMPORTED' ? 'imported' : (current.author?.name ?? 'unknown')}
                </span>
              </div>
              <span className="muted">{dateTime(current.createdAt)}</span>
              {current.reviews.map((entry) => (
                <div key={entry.id} className="notice small">
                  <strong>{entry.decision === 'APPROVE' ? 'Approved' : 'Rejected'}</strong> by{' '}
                  {entry.reviewer?.name ?? 'a former user'}
                  {entry.comment ? `: “${entry.comment}”` : ''}
                </div>
              ))}
            </div>
          ) : (
            <p className="small muted">No mask yet.</p>
          )}
        </div>
        {user.canReview && current?.status === 'SUBMITTED' ? (
          <div className="stack" aria-label="Review">
            <h3>Review v{current.version}</h3>
            {dirty ? <span className="small muted">Your unsaved strokes are not part of this version.</span> : null}
            <textarea
              placeholder="Comment for the annotator (optional)"
              value={reviewComment}
              onChange={(event) => setReviewComment(event.target.value)}
              maxLength={2000}
              aria-label="Review comment"
            />
            <div className="row">
              <button
                className="primary"
                onClick={() => void review('APPROVE')}
                disabled={reviewing}
                data-testid="approve"
              >
                Approve
              </button>
              <button className="danger" onClick={() => void review('REJECT')} disabled={reviewing}>
                Reject
              </button>
            </div>
          </div>
        ) : null}
        {image.masks.length > 1 ? (
          <details>
            <summary className="small">All versions ({image.masks.length})</summary>
            <ul className="small" style={{ paddingLeft: '1.1rem' }}>
              {image.masks.map((mask) => (
                <li key={mask.id}>
                  v{mask.version} <MaskStatusBadge status={mask.status} />
                </li>
              ))}
            </ul>
          </details>
        ) : null}
      </aside>
    </div>
  );
}

/** Zoom, cursor and brush under the canvas: updated on every pointer move, so kept out of the editor's render. */
function StatusBar({
  listenerRef,
  editable,
}: {
  listenerRef: RefObject<((snapshot: StageSnapshot) => void) | null>;
  editable: boolean;
}) {
  const [snapshot, setSnapshot] = useState<StageSnapshot | null>(null);
  useEffect(() => {
    listenerRef.current = setSnapshot;
    return () => {
      listenerRef.current = null;
    };
  }, [listenerRef]);
  if (!snapshot) return null;
  return (
    <div className="editor-status" aria-live="off">
      {Math.round(snapshot.scale * 100)} %
      {editable
        ? ` · ${snapshot.tool} ${snapshot.tool === 'polygon' ? `(${snapshot.polygonPoints} points)` : `${snapshot.brushSize} px`}`
        : ''}
      {snapshot.cursor ? ` · x ${snapshot.cursor.x}, y ${snapshot.cursor.y}` : ''}
    </div>
  );
}
