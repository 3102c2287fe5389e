'use client';

import Link from 'next/link';
import { useState } from 'react';

import { LabelBadge, Notice } from '@/components/ui';
import {
  contextHref,
  hintFor,
  hintLegendUrl,
  type AnnotatedImage,
  type EditorContext,
  type MaskVersion,
} from '@/lib/domain/masks';
import { count, percent } from '@/lib/format';
import { ConflictPanel } from './conflict-panel';
import { HintPanel } from './hint-panel';
import { KeyboardHelp } from './keyboard-help';
import { LayerControl } from './layers-panel';
import { MessageNotice, type Message } from './message';
import { ReviewPanel } from './review-panel';
import { SavePanel } from './save-panel';
import { SavedVersion, VersionList } from './saved-version';
import { DraftOffer, VersionBanner } from './stage-banners';
import { StatusBar } from './status-bar';
import { ToolsPanel } from './tools-panel';
import { useDraft } from './use-draft';
import { useEditorKeys } from './use-editor-keys';
import { useHint } from './use-hint';
import { useHintStart } from './use-hint-start';
import { useKeptDraft } from './use-kept-draft';
import { useLayers } from './use-layers';
import { useMaskChanges } from './use-mask-changes';
import { useQueue } from './use-queue';
import { useSave } from './use-save';
import { useStage } from './use-stage';
import { useVersionView, type VersionEntry } from './use-version-view';

interface EditorUser {
  id: string;
  canAnnotate: boolean;
  canReview: boolean;
}

/** What the back link names: where the editor was opened from. */
const CONTEXT_NAMES: Record<EditorContext['kind'], string> = { run: 'Results', dataset: 'Dataset', queue: 'My queue' };

/**
 * The annotators' mask editor. The mask lives in a MaskRaster (one byte per pixel) drawn by a MaskStage; React
 * holds the panels. The hooks beside this file each own one part: the draft (kept in memory and in IndexedDB),
 * the stage, the layers and hint (and starting from it), the queue of images, saving (with conflicts), versions
 * opened read-only, others' changes and the keyboard.
 *
 * Layout (editor.css): the tool bar, the canvas and the side panels in three columns on wide screens; below
 * 1100 px the tool bar goes on top, and below 760 px the side panels become a drawer over the canvas, opened by
 * "Panels". The canvas takes whatever is left.
 */
export function MaskEditor({
  image,
  context,
  contextSearch,
  user,
  colourMaps,
}: {
  image: AnnotatedImage;
  context: EditorContext;
  contextSearch: string;
  user: EditorUser;
  colourMaps: { name: string; legendUrl: string }[];
}) {
  const editable = user.canAnnotate;
  const [current, setCurrent] = useState<MaskVersion | null>(image.currentMask);
  /** Versions saved while the editor is open (here or by others), which join the list. */
  const [seen, setSeen] = useState<VersionEntry[]>([]);
  const [message, setMessage] = useState<Message | null>(null);
  const [panelsOpen, setPanelsOpen] = useState(false);
  const draft = useDraft(image);
  const { canvas, stage, statusListener, panels, loadError } = useStage(image, editable, draft);
  const ready = panels !== null;
  const saver = useSave({ image, editable, draft, stage, setCurrent, setMessage });
  const queue = useQueue(context, contextSearch, image.id, saver.saveBeforeLeaving);
  const layers = useLayers(stage, ready);
  const hint = useHint(stage, ready, hintFor(image, queue.hint), hintLegendUrl(colourMaps), image.width, image.height);
  const hintStart = useHintStart(stage, hint.status === 'shown' ? hint.levels : null);
  const kept = useKeptDraft({ image, editable, stage, panels, draft });
  const versionView = useVersionView({
    image,
    stage,
    draft,
    current,
    submit: saver.submit,
    adopt: saver.adopt,
    setCurrent,
    setMessage,
  });
  useMaskChanges({ image, userId: user.id, draft, adopt: saver.adopt, setCurrent, setMessage });
  useEditorKeys({
    stage,
    editable,
    save: saver.save,
    go: queue.go,
    toggleHint: layers.hint.toggle,
    toggleMask: layers.mask.toggle,
  });

  // Every version saved here or by others joins the list (state adjusted while rendering, as React advises).
  if (current && !seen.some((entry) => entry.id === current.id) && !image.masks.some((m) => m.id === current.id)) {
    setSeen([...seen, current]);
  }
  const versions = [...seen, ...image.masks]
    .map((entry) => (entry.id === current?.id ? { ...entry, status: current.status } : entry))
    .sort((a, b) => b.version - a.version);

  const dirty = panels?.dirty ?? false;
  const pixels = panels?.pixels ?? 0;
  const { baseVersion, restored } = draft;
  const { position } = queue;
  const latestVersion = Math.max(current?.version ?? 0, image.maskVersion);
  const thresholding = hintStart.threshold !== null;

  return (
    <div
      className="editor"
      data-testid="mask-editor"
      data-ready={ready}
      data-mask-pixels={pixels}
      data-dirty={dirty}
      data-base-version={baseVersion}
      data-draft-kept={kept.kept}
      data-draft-looked-up={kept.lookedUp}
      data-panels={panelsOpen ? 'open' : 'closed'}
    >
      <header className="editor-bar" aria-label="Tools">
        <div className="editor-title">
          <div className="crumbs">
            <Link href={contextHref(context)}>← {CONTEXT_NAMES[context.kind]}</Link>
          </div>
          <h2 className="mono" title={image.name}>
            {image.name}
          </h2>
          <div className="row small editor-meta">
            <LabelBadge label={image.label} defectType={image.defectType} />
            <span className="muted">
              {image.width} × {image.height}
            </span>
          </div>
        </div>
        <div className="row editor-nav">
          <button onClick={() => void queue.go(-1)} disabled={!queue.queue || position <= 0} title="Previous image (←)">
            ← Prev
          </button>
          <span className="small muted">
            {queue.queue ? `${position >= 0 ? position + 1 : '–'} / ${queue.queue.length}` : '…'}
          </span>
          <button
            onClick={() => void queue.go(1)}
            disabled={!queue.queue || position >= queue.queue.length - 1}
            title="Next image (→)"
          >
            Next →
          </button>
        </div>
        <ToolsPanel stage={stage} panels={panels} editable={editable} />
        <button
          className="editor-panels-toggle"
          aria-expanded={panelsOpen}
          aria-controls="editor-panels"
          onClick={() => setPanelsOpen((open) => !open)}
          data-testid="toggle-panels"
        >
          {panelsOpen ? 'Close panels' : 'Panels'}
        </button>
        <div className="editor-keys">
          <KeyboardHelp />
        </div>
      </header>

      <div className="editor-stage">
        <canvas ref={canvas} tabIndex={0} aria-label="Image and mask: draw on it" data-testid="editor-canvas" />
        <div className="editor-banners">
          <VersionBanner view={versionView} editable={editable} />
          <DraftOffer kept={kept} latestVersion={latestVersion} />
          {loadError ? (
            <div className="notice error" role="alert">
              The image could not be shown: {loadError}.
            </div>
          ) : null}
        </div>
        {!ready && !loadError ? (
          <div className="editor-status" style={{ top: 12, bottom: 'auto' }}>
            Loading the image…
          </div>
        ) : null}
        <StatusBar listenerRef={statusListener} editable={editable} />
      </div>

      <aside className="editor-side" id="editor-panels" aria-label="Mask">
        <div>
          <h3>Mask</h3>
          <p className="small" style={{ margin: 0 }}>
            <span data-testid="mask-pixel-count">{count(pixels)}</span> defective pixels (
            {percent(pixels / (image.width * image.height), 1)})
          </p>
          <p className="small muted" style={{ margin: 0 }}>
            {editable ? 'Editing from' : 'Showing'} version {baseVersion || 'none'}
            {dirty ? ' · unsaved changes' : ''}
            {dirty && kept.kept === 'kept' ? ' (kept in this browser)' : ''}
          </p>
          {kept.kept === 'failed' ? (
            <p className="small" style={{ margin: 0, color: 'var(--danger)' }}>
              This browser refused to keep the draft: save before leaving.
            </p>
          ) : null}
        </div>
        {restored ? (
          <Notice kind="warn" className="small">
            Your unsaved changes to this image were kept and are shown again.
          </Notice>
        ) : null}
        {saver.conflict ? (
          <ConflictPanel conflict={saver.conflict} saving={saver.saving} resolve={saver.resolveConflict} />
        ) : null}
        <MessageNotice message={message} />
        {editable ? (
          <SavePanel
            saver={saver}
            disabled={!ready || Boolean(saver.conflict) || versionView.viewing !== null || thresholding}
          />
        ) : null}
        <div className="stack" style={{ gap: '0.4rem' }}>
          <LayerControl layer={layers.mask} label="Show the mask (M)" name="Mask" />
        </div>
        <HintPanel
          state={hint}
          layer={layers.hint}
          start={hintStart}
          canStart={editable && ready && versionView.viewing === null}
        />
        <SavedVersion current={current} />
        {user.canReview && current?.status === 'SUBMITTED' ? (
          <ReviewPanel version={current} dirty={dirty} onReviewed={setCurrent} setMessage={setMessage} />
        ) : null}
        <VersionList versions={versions} view={versionView} disabled={thresholding} />
      </aside>
    </div>
  );
}
