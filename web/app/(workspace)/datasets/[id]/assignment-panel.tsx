'use client';

import Link from 'next/link';
import { useCallback, useEffect, useRef, useState } from 'react';

import { MaskStatusBadge, Notice } from '@/components/ui';
import {
  assignablePage,
  assignableUsers,
  assignImages,
  assignmentCounts,
  unassignImages,
  type AssignableImage,
  type ImageChoice,
} from '@/lib/domain/assignments';
import { listUsers, type UserAccount } from '@/lib/domain/users';
import { browserClient } from '@/lib/graphql/browser';
import { ApiError, describeError } from '@/lib/graphql/client';
import type { ImageFilter } from '@/lib/graphql/generated';
import { count } from '@/lib/format';

type Outcome = { kind: 'ok' | 'error'; text: string };

const plural = (n: number, word: string) => `${count(n)} ${word}${n === 1 ? '' : 's'}`;

/**
 * An admin gives a dataset's images to annotators: chosen images, or every image of one defect type. Each image
 * has at most one annotator, and stays in their queue (My queue) until its mask is submitted or approved.
 */
export function AssignmentPanel({ datasetId, defectTypes }: { datasetId: string; defectTypes: string[] }) {
  const types = ['good', ...defectTypes.filter((type) => type !== 'good')];
  const [users, setUsers] = useState<UserAccount[] | null>(null);
  const [counts, setCounts] = useState<Map<string | null, number> | null>(null);
  const [userId, setUserId] = useState('');
  const [mode, setMode] = useState<ImageChoice['kind']>('images');
  const [wholeType, setWholeType] = useState(types[0] ?? 'good');
  const [listType, setListType] = useState('');
  const [unassignedOnly, setUnassignedOnly] = useState(true);
  const [images, setImages] = useState<AssignableImage[]>([]);
  const [total, setTotal] = useState(0);
  const [cursor, setCursor] = useState<string | null>(null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [loading, setLoading] = useState(true);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  const loadCounts = useCallback(
    async (people: UserAccount[]) => {
      setCounts(await assignmentCounts(browserClient, datasetId, people));
    },
    [datasetId],
  );

  /** Which request's answer the list shows: an older filter's page that comes late is dropped. */
  const request = useRef(0);

  // Callers set `loading` first (in their event handlers, or initially), so that the effect below sets no state
  // before the answer comes.
  const loadImages = useCallback(
    (after: string | null): Promise<void> => {
      const ticket = ++request.current;
      const filter: ImageFilter = {
        ...(listType ? { defectType: listType } : {}),
        ...(unassignedOnly ? { assigned: false } : {}),
      };
      return assignablePage(browserClient, datasetId, filter, after).then(
        (page) => {
          if (ticket !== request.current) return;
          setImages((previous) => (after ? [...previous, ...page.images] : page.images));
          setTotal(page.totalCount);
          setCursor(page.nextCursor);
          setLoading(false);
        },
        (failure: unknown) => {
          if (ticket !== request.current) return;
          setOutcome({ kind: 'error', text: describeError(failure) });
          setLoading(false);
        },
      );
    },
    [datasetId, listType, unassignedOnly],
  );

  useEffect(() => {
    listUsers(browserClient).then(
      (all) => {
        const people = assignableUsers(all);
        setUsers(people);
        setUserId((current) => current || people[0]?.id || '');
        return loadCounts(people);
      },
      (failure: unknown) => setOutcome({ kind: 'error', text: describeError(failure) }),
    );
  }, [loadCounts]);

  // A new filter lists other images: the choice starts again (its handlers clear it) and the first page loads.
  useEffect(() => {
    void loadImages(null);
  }, [loadImages]);

  const choice: ImageChoice =
    mode === 'images' ? { kind: 'images', imageIds: [...selected] } : { kind: 'defectType', defectType: wholeType };
  const what = mode === 'images' ? plural(selected.size, 'chosen image') : `every “${wholeType}” image`;
  const person = users?.find((user) => user.id === userId);
  const ready = mode === 'defectType' || selected.size > 0;

  async function act(work: () => Promise<string>) {
    setBusy(true);
    setOutcome(null);
    try {
      setOutcome({ kind: 'ok', text: await work() });
      setSelected(new Set());
      setLoading(true);
      await Promise.all([users ? loadCounts(users) : null, loadImages(null)]);
    } catch (failure) {
      setOutcome({ kind: 'error', text: describeError(failure) });
    } finally {
      setBusy(false);
    }
  }

  const assign = () =>
    act(async () => {
      if (!person) throw new ApiError('Choose an annotator', 'BAD_USER_INPUT');
      const assigned = await assignImages(browserClient, datasetId, person.id, choice);
      return `Assigned ${plural(assigned, 'image')} to ${person.name}: they are in ${person.name}'s queue.`;
    });

  const unassign = () =>
    act(async () => {
      const removed = await unassignImages(browserClient, datasetId, choice);
      return removed === 0
        ? `None of ${what.replace(/^every /, 'the ')} had an annotator.`
        : `Took ${plural(removed, 'image')} back from their annotators.`;
    });

  function toggle(id: string, on: boolean) {
    setSelected((previous) => {
      const next = new Set(previous);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  }

  return (
    <section className="panel" aria-label="Annotator assignments">
      <h2>Annotators</h2>
      <p className="small muted">
        Each image goes to at most one annotator and stays in their queue until its mask is submitted (or approved); a
        rejected mask comes back to them.
      </p>
      {users && counts ? (
        <p className="small" data-testid="assignment-counts">
          {users.map((user) => `${user.name}: ${count(counts.get(user.id) ?? 0)}`).join(' · ')}
          {users.length > 0 ? ' · ' : ''}
          nobody: {count(counts.get(null) ?? 0)}
        </p>
      ) : null}
      {users && users.length === 0 ? (
        <Notice kind="warn">
          There is no enabled annotator yet: add one on the <Link href="/settings/users">People</Link> page.
        </Notice>
      ) : null}
      <div className="row" style={{ alignItems: 'end' }}>
        <div className="field-column">
          <label htmlFor="assign-user">Annotator</label>
          <select
            id="assign-user"
            value={userId}
            disabled={!users || users.length === 0}
            onChange={(event) => setUserId(event.target.value)}
          >
            {(users ?? []).map((user) => (
              <option key={user.id} value={user.id}>
                {user.name} ({user.email})
              </option>
            ))}
          </select>
        </div>
        <div className="field-column">
          <label htmlFor="assign-what">Images</label>
          <select
            id="assign-what"
            value={mode === 'images' ? '' : wholeType}
            onChange={(event) => {
              setMode(event.target.value ? 'defectType' : 'images');
              if (event.target.value) setWholeType(event.target.value);
            }}
          >
            <option value="">Chosen below</option>
            {types.map((type) => (
              <option key={type} value={type}>
                Every “{type}” image
              </option>
            ))}
          </select>
        </div>
        <button className="primary" disabled={busy || !ready || !person} onClick={() => void assign()}>
          Assign {what}
          {person ? ` to ${person.name}` : ''}
        </button>
        <button disabled={busy || !ready} onClick={() => void unassign()}>
          Unassign
        </button>
      </div>
      {mode === 'images' ? (
        <>
          <div className="row" style={{ alignItems: 'end', marginTop: '0.75rem' }}>
            <div className="field-column">
              <label htmlFor="assign-list-type">Show</label>
              <select
                id="assign-list-type"
                value={listType}
                onChange={(event) => {
                  setSelected(new Set());
                  setLoading(true);
                  setListType(event.target.value);
                }}
              >
                <option value="">Every defect type</option>
                {types.map((type) => (
                  <option key={type} value={type}>
                    {type}
                  </option>
                ))}
              </select>
            </div>
            <label className="check">
              <input
                type="checkbox"
                checked={unassignedOnly}
                onChange={(event) => {
                  setSelected(new Set());
                  setLoading(true);
                  setUnassignedOnly(event.target.checked);
                }}
              />
              Only images nobody has
            </label>
            <button
              disabled={images.length === 0}
              onClick={() => setSelected(new Set(images.map((image) => image.id)))}
            >
              Choose the {count(images.length)} listed
            </button>
            <button disabled={selected.size === 0} onClick={() => setSelected(new Set())}>
              Clear choice
            </button>
          </div>
          <div className="pick-list" aria-label="Images to assign" aria-busy={loading} data-testid="assign-list">
            {images.map((image) => (
              <label key={image.id}>
                <input
                  type="checkbox"
                  checked={selected.has(image.id)}
                  onChange={(event) => toggle(image.id, event.target.checked)}
                  aria-label={image.name}
                />
                <span className="name">{image.name}</span>
                {image.currentMask ? <MaskStatusBadge status={image.currentMask.status} /> : null}
                <span className="small muted">{image.assignee ? image.assignee.name : 'nobody'}</span>
              </label>
            ))}
            {!loading && images.length === 0 ? <p className="small muted">No image matches.</p> : null}
            {cursor ? (
              <button
                disabled={loading}
                onClick={() => {
                  setLoading(true);
                  void loadImages(cursor);
                }}
              >
                Show more ({count(total - images.length)} left)
              </button>
            ) : null}
          </div>
        </>
      ) : null}
      {outcome ? (
        <Notice kind={outcome.kind}>
          <span data-testid="assignment-outcome">{outcome.text}</span>
        </Notice>
      ) : null}
    </section>
  );
}
