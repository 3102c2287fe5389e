import type { EvaluationDetail } from '@/lib/domain/evaluations';
import { count, dateTime } from '@/lib/format';

/** How many images and masks the evaluation scored, and when (compared with which earlier one). */
export function Summary({ evaluation, previous }: { evaluation: EvaluationDetail; previous: EvaluationDetail | null }) {
  const images = evaluation.images;
  return (
    <section className="panel stat-row" data-testid="evaluation-summary" data-evaluation={evaluation.id}>
      <div className="stat">
        <span className="value">{images ? count(images.normal) : '—'}</span>
        <span className="label">Normal test images</span>
      </div>
      <div className="stat">
        <span className="value">{images ? count(images.anomalous) : '—'}</span>
        <span className="label">Anomalous</span>
      </div>
      <div className="stat">
        <span className="value">{count(evaluation.maskCount)}</span>
        <span className="label">Approved masks used</span>
      </div>
      <div className="stat">
        <span className="value">{images ? count(images.withoutMask) : '—'}</span>
        <span className="label">Anomalous without a mask</span>
      </div>
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
