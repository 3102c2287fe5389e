import type { Evaluation, PrismaClient } from '@prisma/client';
import type PgBoss from 'pg-boss';

import type { Viewer } from '../../auth/viewer';
import { FailedPreconditionError, NotFoundError } from '../../graphql/errors';
import { checkId, isUuid } from '../../graphql/ids';
import { sendEvaluateTicket } from '../../jobs/queue';

export class EvaluationService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly boss: PgBoss,
  ) {}

  async byId(id: string): Promise<Evaluation | null> {
    if (!isUuid(id)) return null;
    return this.prisma.evaluation.findUnique({ where: { id } });
  }

  /** Queues a re-scoring of a finished run against the current approved masks. */
  async start(viewer: Viewer, runId: string): Promise<Evaluation> {
    checkId(runId, 'Run');
    const run = await this.prisma.run.findUnique({ where: { id: runId } });
    if (!run) throw new NotFoundError('Run', runId);
    if (run.status !== 'SUCCEEDED') {
      throw new FailedPreconditionError(`run ${runId} is ${run.status}: only succeeded runs can be evaluated`, {
        status: run.status,
      });
    }
    const evaluation = await this.prisma.evaluation.create({ data: { runId, createdById: viewer.user.id } });
    await sendEvaluateTicket(this.boss, evaluation.id);
    return evaluation;
  }
}
