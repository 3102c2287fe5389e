import type { EvaluationStatus, Run as RunRow, RunStatus } from '@prisma/client';
import { Repeater } from '@repeaterjs/repeater';
import { Arg, ID, Resolver, Root, Subscription } from 'type-graphql';

import { Topic } from '../../events/pubsub';
import type { Context } from '../../graphql/context';
import { eventsAbout } from '../../graphql/subscription-source';
import { Run } from './run.type';

/** States a run never leaves. */
const ENDED: readonly RunStatus[] = ['SUCCEEDED', 'FAILED', 'CANCELLED'];
/** Evaluations whose end a follower of the run still waits for (evaluateRun on a succeeded run). */
const PENDING: EvaluationStatus[] = ['QUEUED', 'RUNNING'];

/**
 * The run now, then again after each of its events, until it has ended with no evaluation pending: one who
 * subscribes needs no query of their own, and is not left waiting on a run that will not change any more.
 */
async function followRun(context: Context, runId: unknown): Promise<AsyncIterable<RunRow>> {
  const { prisma } = context.services;
  let run: RunRow | null = null;
  const { id, events } = await eventsAbout(context, Topic.RUN_PROGRESS, {
    argument: 'runId',
    what: 'Run',
    id: runId,
    exists: async (id) => (run = await prisma.run.findUnique({ where: { id } })) !== null,
  });
  const ended = async (run: RunRow) =>
    ENDED.includes(run.status) &&
    (await prisma.evaluation.count({ where: { runId: id, status: { in: PENDING } } })) === 0;
  return new Repeater<RunRow>(async (push, stop) => {
    void stop.then(() => events.return?.());
    try {
      // Gone (its dataset was deleted): nothing more will come.
      while (run) {
        await push(run);
        if (await ended(run)) break;
        const event = await Promise.race([events.next(), stop]);
        if (!event || event.done) break;
        // Read after the event was heard: whatever changed before it is in the row.
        run = await prisma.run.findUnique({ where: { id } });
      }
      stop();
    } catch (error) {
      stop(error);
    }
  });
}

@Resolver()
export class RunSubscriptionResolver {
  @Subscription(() => Run, {
    subscribe: ({ args, context }) => followRun(context as Context, (args as { runId: unknown }).runId),
    description:
      'The run as it is now, then each time its progress, phase, status or evaluations change (at most twice a ' +
      'second while training). Completes once the run has ended (SUCCEEDED, FAILED or CANCELLED) and none of its ' +
      'evaluations is queued or running, at once if that is so when subscribing; a runId that is not a UUID is ' +
      'BAD_USER_INPUT, one that names no run NOT_FOUND.',
  })
  runProgress(
    @Arg('runId', () => ID, { description: 'The run to follow.' }) _runId: string,
    @Root() run: RunRow,
  ): RunRow {
    return run;
  }
}
