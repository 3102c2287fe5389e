'use client';

import { usePathname, useRouter } from 'next/navigation';
import { useTransition } from 'react';

import { imageQueryToSearch, type ImageQuery } from '@/lib/domain/datasets';

/** Filters live in the URL, so a filtered grid can be shared, reloaded and walked with next/previous. */
export function ImageFilters({ query, defectTypes }: { query: ImageQuery; defectTypes: string[] }) {
  const router = useRouter();
  const pathname = usePathname();
  const [pending, startTransition] = useTransition();

  function change(patch: Partial<ImageQuery>) {
    const search = imageQueryToSearch({ ...query, ...patch }).toString();
    startTransition(() => router.replace(search ? `${pathname}?${search}` : pathname, { scroll: false }));
  }

  const active = Boolean(query.split || query.label || query.defectType || query.mask);
  return (
    <div className="filters" aria-busy={pending}>
      <label className="field">
        Split
        <select
          value={query.split ?? ''}
          onChange={(event) => change({ split: (event.target.value || undefined) as ImageQuery['split'] })}
        >
          <option value="">All</option>
          <option value="TRAIN">Train</option>
          <option value="TEST">Test</option>
        </select>
      </label>
      <label className="field">
        Label
        <select
          value={query.label ?? ''}
          onChange={(event) => change({ label: (event.target.value || undefined) as ImageQuery['label'] })}
        >
          <option value="">All</option>
          <option value="NORMAL">Normal</option>
          <option value="ANOMALOUS">Anomalous</option>
          <option value="UNLABELED">Unlabeled</option>
        </select>
      </label>
      <label className="field">
        Defect type
        <select
          value={query.defectType ?? ''}
          onChange={(event) => change({ defectType: event.target.value || undefined })}
        >
          <option value="">All</option>
          <option value="good">good (normal)</option>
          {defectTypes.map((type) => (
            <option key={type} value={type}>
              {type}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        Mask
        <select
          value={query.mask ?? ''}
          onChange={(event) => change({ mask: (event.target.value || undefined) as ImageQuery['mask'] })}
        >
          <option value="">All</option>
          <option value="any">With a mask</option>
          <option value="none">Without a mask</option>
          <option value="DRAFT">Latest is a draft</option>
          <option value="SUBMITTED">Waiting for review</option>
          <option value="APPROVED">Approved</option>
          <option value="REJECTED">Rejected</option>
        </select>
      </label>
      {active ? (
        <button
          type="button"
          onClick={() => change({ split: undefined, label: undefined, defectType: undefined, mask: undefined })}
        >
          Clear filters
        </button>
      ) : null}
      {pending ? <span className="muted small">Filtering…</span> : null}
    </div>
  );
}
