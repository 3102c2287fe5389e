import type { PrismaClient, Run } from '@prisma/client';

import type { RunScoring } from '../../db/reads';
import { BadInputError, NotFoundError } from '../../graphql/errors';
import { isUuid } from '../../graphql/ids';
import type { Loaders } from '../../graphql/loaders';
import type { RunDecision, Verdict } from './decision.type';

/** A run's decision from its own threshold (if a person set one) and its scoring; null before it has either. */
export function decisionOf(run: Pick<Run, 'scoreThreshold'>, scoring: RunScoring): RunDecision | null {
  const { evaluatedThreshold, evaluatedScore, scoreMin, scoreMax } = scoring;
  if (scoreMin === null || scoreMax === null) return null;
  const threshold = run.scoreThreshold ?? evaluatedScore ?? evaluatedThreshold;
  if (threshold === null) return null;
  const source = run.scoreThreshold === null ? 'EVALUATION' : 'MANUAL';
  return { threshold, source, evaluatedThreshold, scoreMin, scoreMax };
}

/** anomalib's min-max normalisation: the threshold lands on 0.5, the run's range spans 1, clamped to 0..1. */
export function normalizedScore(score: number, decision: RunDecision): number {
  const span = decision.scoreMax - decision.scoreMin;
  if (!(span > 0)) return score >= decision.threshold ? 1 : 0;
  return Math.min(1, Math.max(0, 0.5 + (score - decision.threshold) / span));
}

export function verdictOf(score: number, decision: RunDecision): Verdict {
  return score >= decision.threshold ? 'ANOMALOUS' : 'NORMAL';
}

export class DecisionService {
  constructor(private readonly prisma: PrismaClient) {}

  async ofRun(run: Pick<Run, 'id' | 'scoreThreshold'>, loaders: Loaders): Promise<RunDecision | null> {
    return decisionOf(run, await loaders.scoringOfRun.load(run.id));
  }

  async ofRunId(runId: string, loaders: Loaders): Promise<RunDecision | null> {
    return this.ofRun(await loaders.run.load(runId), loaders);
  }

  /** Sets (or with null, clears) a run's threshold on image scores. */
  async setThreshold(runId: string, threshold: number | null): Promise<Run> {
    if (threshold !== null && !Number.isFinite(threshold)) {
      throw new BadInputError('threshold must be a finite number (an image score)', 'threshold');
    }
    if (!isUuid(runId)) throw new NotFoundError('Run', runId);
    const updated = await this.prisma.run.updateMany({ where: { id: runId }, data: { scoreThreshold: threshold } });
    if (updated.count === 0) throw new NotFoundError('Run', runId);
    return this.prisma.run.findUniqueOrThrow({ where: { id: runId } });
  }
}
