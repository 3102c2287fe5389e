import { Notice } from '@/components/ui';

/**
 * What the last decision was, after Approve or Reject moved on to this page (`?approved=` or `?rejected=` with
 * the image's name): the reviewer sees that it landed while already looking at the next mask.
 */
export function ReviewedNotice({ search }: { search: Record<string, string | string[] | undefined> }) {
  const approved = typeof search.approved === 'string' ? search.approved : null;
  const rejected = typeof search.rejected === 'string' ? search.rejected : null;
  if (!approved && !rejected) return null;
  return (
    <Notice kind="ok">
      <span data-testid="reviewed-notice">
        {approved
          ? `Approved the mask of ${approved}.`
          : `Rejected the mask of ${rejected}: it is back in its annotator's queue.`}
      </span>
    </Notice>
  );
}
