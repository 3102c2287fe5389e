import { useRouter } from 'next/navigation';
import { useCallback, useEffect, useState } from 'react';

import { editorQueue, type EditorContext, type QueueEntry } from '@/lib/domain/masks';
import { browserClient } from '@/lib/graphql/browser';

// Queues are fetched once per context and reused while the annotator moves through them; My queue is read
// afresh on each image, since submitting takes an image out of it and an admin may assign more meanwhile.
const queues = new Map<string, Promise<QueueEntry[]>>();

function queueFor(context: EditorContext, key: string): Promise<QueueEntry[]> {
  if (context.kind === 'queue') return editorQueue(browserClient, context);
  let queue = queues.get(key);
  if (!queue) {
    queue = editorQueue(browserClient, context);
    queues.set(key, queue);
    queue.catch(() => queues.delete(key));
  }
  return queue;
}

/**
 * The images previous and next walk through (a run's results, a dataset's filtered images or My queue), where
 * this one is in them, and its attention hint when the context is a run. `go` moves once `beforeLeave` agrees.
 */
export function useQueue(
  context: EditorContext,
  contextSearch: string,
  imageId: string,
  beforeLeave: () => Promise<boolean>,
) {
  const router = useRouter();
  const [queue, setQueue] = useState<QueueEntry[] | null>(null);

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

  const position = queue ? queue.findIndex((entry) => entry.imageId === imageId) : -1;
  const hint = queue && position >= 0 ? queue[position]!.hint : null;

  const go = useCallback(
    async (step: 1 | -1) => {
      // An image no longer in the list (a submitted one has left My queue) steps to the list's first.
      const target = position >= 0 ? queue?.[position + step] : step === 1 ? queue?.[0] : undefined;
      if (!target || !(await beforeLeave())) return;
      router.push(`/annotate/${target.imageId}?${contextSearch}`);
    },
    [queue, position, beforeLeave, router, contextSearch],
  );

  return { queue, position, hint, go };
}
