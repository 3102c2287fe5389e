'use client';

import Link from 'next/link';
import { useState } from 'react';

import { LabelBadge, Notice } from '@/components/ui';
import { contextHref, type AnnotatedImage, type EditorContext, type MaskVersion } from '@/lib/domain/masks';
import { count, percent } from '@/lib/format';
import { ConflictPanel } from './conflict-panel';
import { KeyboardHelp } from './keyboard-help';
import { LayersPanel } from './layers-panel';
import { MessageNotice, type Message } from './message';
import { ReviewPanel } from './review-panel';
import { SavePanel } from './save-panel';
import { AllVersions, SavedVersion } from './saved-version';
import { StatusBar } from './status-bar';
import { ToolsPanel } from './tools-panel';
import { useDraft } from './use-draft';
import { useEditorKeys } from './use-editor-keys';
import { useHint } from './use-hint';
import { useLayers } from './use-layers';
import { useMaskChanges } from './use-mask-changes';
import { useQueue } from './use-queue';
import { useSave } from './use-save';
import { useStage } from './use-stage';

interface EditorUser {
  id: string;
  canAnnotate: boolean;
  canReview: boolean;
}

/**
 * The annotators' mask editor. The mask lives in a MaskRaster (one byte per pixel) drawn by a MaskStage; React
 * holds the panels. The hooks beside this file each own one part: the draft, the stage, the layers and hint,
 * the queue of images, saving (with conflicts), others' changes and the keyboard.
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
  const editable = user.canAnnotate;
  const [current, setCurrent] = useState<MaskVersion | null>(image.currentMask);
  const [message, setMessage] = useState<Message | null>(null);
  const draft = useDraft(image);
  const { canvas, stage, statusListener, panels, loadError } = useStage(image, editable, draft);
  const ready = panels !== null;
  const saver = useSave({ image, editable, draft, stage, setCurrent, setMessage });
  const { queue, position, hint, go } = useQueue(context, contextSearch, image.id, saver.saveBeforeLeaving);
  const layers = useLayers(stage, ready);
  const hintAvailable = useHint(stage, ready, hint, image.width, image.height);
  useMaskChanges({ image, userId: user.id, draft, adopt: saver.adopt, setCurrent, setMessage });
  useEditorKeys({
    stage,
    editable,
    save: saver.save,
    go,
    toggleHint: layers.hint.toggle,
    toggleMask: layers.mask.toggle,
  });

  const dirty = panels?.dirty ?? false;
  const pixels = panels?.pixels ?? 0;
  const { baseVersion, restored } = draft;

  return (
    <div
      className="editor"
      data-testid="mask-editor"
      data-ready={ready}
      data-mask-pixels={pixels}
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
        <ToolsPanel stage={stage} panels={panels} editable={editable} />
        <LayersPanel
          mask={layers.mask}
          hint={layers.hint}
          hintAvailable={hintAvailable}
          fromRun={context.kind === 'run'}
        />
        <KeyboardHelp />
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
            <span data-testid="mask-pixel-count">{count(pixels)}</span> defective pixels (
            {percent(pixels / (image.width * image.height), 1)})
          </p>
          <p className="small muted" style={{ margin: 0 }}>
            {editable ? 'Editing from' : 'Showing'} version {baseVersion || 'none'}
            {dirty ? ' · unsaved changes' : ''}
          </p>
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
        {editable ? <SavePanel saver={saver} disabled={!ready || Boolean(saver.conflict)} /> : null}
        <SavedVersion current={current} />
        {user.canReview && current?.status === 'SUBMITTED' ? (
          <ReviewPanel version={current} dirty={dirty} onReviewed={setCurrent} setMessage={setMessage} />
        ) : null}
        <AllVersions masks={image.masks} />
      </aside>
    </div>
  );
}
