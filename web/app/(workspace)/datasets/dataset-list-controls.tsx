'use client';

import { useEffect, useRef, useState } from 'react';

import { SelectField } from '@/components/fields';
import { useQueryInUrl } from '@/components/filters';
import { DATASET_SORTS, MAX_SEARCH, datasetListToSearch, type DatasetListQuery } from '@/lib/domain/housekeeping';
import type { DatasetOrder } from '@/lib/graphql/generated';

/** Typing pauses this long before the list is asked again, so that each keystroke is not a request. */
const SEARCH_PAUSE_MS = 300;

const SORTS = DATASET_SORTS.map((entry) => [entry.value, entry.label] as const);

/** Search by name and sort of the dataset list, in the URL: the server searches and sorts (the API's arguments). */
export function DatasetListControls({ query, shown }: { query: DatasetListQuery; shown: number }) {
  const { pending, change } = useQueryInUrl(query, datasetListToSearch);
  const [text, setText] = useState(query.search);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => clearTimeout(timer.current ?? undefined), []);

  function type(value: string) {
    setText(value);
    clearTimeout(timer.current ?? undefined);
    timer.current = setTimeout(() => change({ search: value }), SEARCH_PAUSE_MS);
  }

  return (
    <form
      className="filters"
      role="search"
      aria-busy={pending}
      onSubmit={(event) => {
        event.preventDefault();
        clearTimeout(timer.current ?? undefined);
        change({ search: text });
      }}
    >
      <label className="field">
        Search by name
        <input
          type="search"
          name="q"
          value={text}
          maxLength={MAX_SEARCH}
          placeholder="Part of a name"
          onChange={(event) => type(event.target.value)}
          data-testid="dataset-search"
        />
      </label>
      <SelectField<DatasetOrder>
        label="Sort"
        name="sort"
        value={query.orderBy}
        options={SORTS}
        onChange={(orderBy) => change({ orderBy: orderBy || 'NAME_ASC' })}
      />
      <span className="small muted" role="status" data-testid="dataset-count">
        {pending
          ? 'Searching…'
          : `${shown} dataset${shown === 1 ? '' : 's'}${query.search ? ` matching “${query.search}”` : ''}`}
      </span>
    </form>
  );
}
