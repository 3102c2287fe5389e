import { Histogram } from '@/components/charts';
import { ErrorState } from '@/components/ui';
import type { LabelledScore } from '@/lib/domain/results';
import type { Loaded } from '@/lib/server-data';

/** How the image scores of normal and anomalous test images spread. */
export function ImageScores({ scores }: { scores: Loaded<LabelledScore[]> }) {
  const of = (label: LabelledScore['label']) =>
    scores.ok ? scores.value.filter((entry) => entry.label === label).map((entry) => entry.score) : [];
  return (
    <section className="panel">
      <h2>Image scores</h2>
      {!scores.ok ? (
        <ErrorState message={scores.message} />
      ) : scores.value.length === 0 ? (
        <p className="muted">No scored images yet.</p>
      ) : (
        <Histogram
          title="Image scores of normal and anomalous test images"
          groups={[
            { name: 'Normal', color: '#1f8a4c', values: of('NORMAL') },
            { name: 'Anomalous', color: '#c62d3a', values: of('ANOMALOUS') },
          ]}
          xLabel="Anomaly score (attention map)"
          testId="score-histogram"
        />
      )}
    </section>
  );
}
