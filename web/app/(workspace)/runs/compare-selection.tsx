import { runName } from '@/lib/domain/runs';
import type { RunStatus } from '@/lib/graphql/generated';

/** The form the runs list's checkboxes belong to (by its id, so the table needs no form around it). */
const FORM = 'compare-runs';

/**
 * Opens the compare page on the ticked runs (`?runs=a&runs=b`). A plain GET form: it works before the page's
 * scripts have loaded, and the compare page says what is wrong with a choice (one run, several datasets).
 */
export function CompareForm() {
  return (
    <form id={FORM} action="/runs/compare" method="get" className="row">
      <button type="submit" className="button" data-testid="compare-selected">
        Compare ticked runs
      </button>
    </form>
  );
}

/** A run's tick for comparing; only succeeded runs have results to compare. */
export function CompareCheckbox({ run }: { run: { id: string; name: string; status: RunStatus } }) {
  return (
    <input
      type="checkbox"
      name="runs"
      value={run.id}
      form={FORM}
      disabled={run.status !== 'SUCCEEDED'}
      aria-label={`Compare ${runName(run)}`}
    />
  );
}
