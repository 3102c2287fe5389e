import { Stat } from '@/components/ui';
import type { EvaluationDetail } from '@/lib/domain/evaluations';
import { count, dateTime } from '@/lib/format';

/** How many images and masks the evaluation scored, and when (compared with which earlier one). */
export function Summary({ evaluation, previous }: { evaluation: EvaluationDetail; previous: EvaluationDetail | null }) {
  const images = evaluation.images;
  return (
    <section className="panel stat-row" data-testid="evaluation-summary" data-evaluation={evaluation.id}>
      <Stat label="Normal test images" value={images ? count(images.normal) : '—'} />
      <Stat label="Anomalous" value={images ? count(images.anomalous) : '—'} />
      <Stat label="Approved masks used" value={count(evaluation.maskCount)} />
      <Stat label="Anomalous without a mask" value={images ? count(images.withoutMask) : '—'} />
      <div className="stat">
        <span className="value" style={{ fontSize: '0.95rem' }}>
          {dateTime(evaluation.finishedAt ?? evaluation.createdAt)}
        </span>
        <span className="label">
          Evaluated{previous ? ` (compared with ${dateTime(previous.finishedAt ?? previous.createdAt)})` : ''}
        </span>
      </div>
    </section>
  );
}
