'use client';

import { usePathname } from 'next/navigation';
import { useEffect, useState } from 'react';

import { myQueueCount } from '@/lib/domain/assignments';
import { reviewCount } from '@/lib/domain/review';
import { browserClient } from '@/lib/graphql/browser';

/** Which count a navigation link carries: masks waiting for review, or images waiting in one's queue. */
export type WorkCountKind = 'review' | 'queue';

const COUNTERS = { review: reviewCount, queue: myQueueCount } as const;

const TITLES: Record<WorkCountKind, (count: number) => string> = {
  review: (count) => `${count} submitted mask${count === 1 ? '' : 's'} waiting for your review`,
  queue: (count) => `${count} assigned image${count === 1 ? '' : 's'} to annotate`,
};

const WORK_CHANGED = 'vad:work-changed';

/** Has the navigation's counts read again now: this page submitted, restored or reviewed a mask. */
export function announceWorkChanged(): void {
  window.dispatchEvent(new Event(WORK_CHANGED));
}

/**
 * A link's count, read by the browser once the page is there (so that no page waits for it), again after each
 * navigation (the header is not rendered anew on client navigations, and a review changes the count), when this
 * page changes the work (announceWorkChanged: a mask submitted in the editor) and when the window regains focus
 * (others submit and review meanwhile). A failed read keeps the last count: the pages themselves say what failed.
 */
export function WorkCount({ kind }: { kind: WorkCountKind }) {
  const pathname = usePathname();
  const [count, setCount] = useState<number | null>(null);
  useEffect(() => {
    let current = true;
    const read = () =>
      COUNTERS[kind](browserClient).then(
        (value) => current && setCount(value),
        () => {},
      );
    void read();
    window.addEventListener('focus', read);
    window.addEventListener(WORK_CHANGED, read);
    return () => {
      current = false;
      window.removeEventListener('focus', read);
      window.removeEventListener(WORK_CHANGED, read);
    };
  }, [kind, pathname]);
  if (!count) return null;
  return (
    <span className="nav-count" data-testid={`${kind}-count`} title={TITLES[kind](count)}>
      {count > 999 ? '999+' : count}
    </span>
  );
}
