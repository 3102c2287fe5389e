import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, ID, Info, Mutation, Query, Resolver, Root } from 'type-graphql';

import { PageArgs, connectionType, type ConnectionValue } from '../../graphql/connection';
import { viewerOf, type Context } from '../../graphql/context';
import { Requires } from '../../graphql/permissions';
import { loadOrNull } from '../../graphql/loaders';
import { Dataset } from '../dataset/dataset.type';
import { Evaluation } from '../evaluation/evaluation.type';
import { ResultFilter, ResultOrder } from '../result/result.input';
import { pageColumns } from '../result/result.selection';
import { Result } from '../result/result.type';
import { User } from '../user/user.type';
import { RunFilter, RunOrder, StartRunInput } from './run.input';
import { EpochLoss, Run } from './run.type';

export const RunConnection = connectionType('Run', Run, 'run');
export const ResultConnection = connectionType('Result', Result, 'result');

@Resolver(() => Run)
export class RunResolver {
  @Query(() => Run, { nullable: true, description: 'One run, or null if there is none with this id.' })
  run(@Arg('id', () => ID, { description: 'Run id.' }) id: string, @Ctx() context: Context): Promise<Run | null> {
    return loadOrNull(context.loaders.run, id);
  }

  @Query(() => RunConnection, { description: "Runs, newest first: one dataset's, or all." })
  runs(
    @Arg('datasetId', () => ID, { nullable: true, description: 'Only runs on this dataset.' }) datasetId: string | null,
    @Args(() => PageArgs) { first, after }: PageArgs,
    @Arg('filter', () => RunFilter, { nullable: true, description: 'Conditions on the runs.' })
    filter: RunFilter | null,
    @Arg('orderBy', () => RunOrder, { defaultValue: RunOrder.CREATED_AT_DESC, description: 'Sort order.' })
    orderBy: RunOrder,
    @Ctx() context: Context,
  ): Promise<ConnectionValue<Run>> {
    return context.services.runs.list(datasetId, first, after, filter, orderBy);
  }

  @Requires('ADMIN')
  @Mutation(() => Run, { description: 'Queues a run: a worker trains, explains and evaluates (admins).' })
  startRun(
    @Arg('input', () => StartRunInput, { description: 'Dataset and options.' }) input: StartRunInput,
    @Ctx() context: Context,
  ): Promise<Run> {
    return context.services.runs.start(viewerOf(context), input);
  }

  @Requires('ADMIN')
  @Mutation(() => Run, {
    description: 'Cancels a queued or running run (admins); a running one stops within one training step.',
  })
  cancelRun(@Arg('id', () => ID, { description: 'Run id.' }) id: string, @Ctx() context: Context): Promise<Run> {
    return context.services.runs.cancel(id);
  }

  @Requires('ADMIN')
  @Mutation(() => Evaluation, {
    description: "Re-scores a succeeded run's maps against the current approved masks (admins); a worker computes it.",
  })
  evaluateRun(
    @Arg('runId', () => ID, { description: 'Run id.' }) runId: string,
    @Ctx() context: Context,
  ): Promise<Evaluation> {
    return context.services.runs.evaluate(viewerOf(context), runId);
  }

  @FieldResolver(() => Dataset, { description: 'The dataset it runs on.' })
  dataset(@Root() run: Run, @Ctx() context: Context): Promise<Dataset> {
    return context.loaders.dataset.load(run.datasetId);
  }

  @FieldResolver(() => User, { nullable: true, description: 'Who started it.' })
  createdBy(@Root() run: Run, @Ctx() context: Context): Promise<User> | null {
    return run.createdById ? context.loaders.user.load(run.createdById) : null;
  }

  @FieldResolver(() => [EpochLoss], { description: 'Mean training loss of each finished epoch, across attempts.' })
  lossHistory(@Root() run: Run): EpochLoss[] {
    return Array.isArray(run.lossHistory) ? (run.lossHistory as EpochLoss[]) : [];
  }

  @FieldResolver(() => ResultConnection, { description: 'The scored test images, most anomalous first by default.' })
  results(
    @Root() run: Run,
    @Args(() => PageArgs) { first, after }: PageArgs,
    @Arg('orderBy', () => ResultOrder, { defaultValue: ResultOrder.SCORE_DESC, description: 'Sort order.' })
    orderBy: ResultOrder,
    @Arg('filter', () => ResultFilter, { nullable: true, description: 'Conditions on the images.' })
    filter: ResultFilter | null,
    @Ctx() context: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ConnectionValue<Result>> {
    return context.services.results.list(run, first, after, orderBy, filter, pageColumns(info));
  }

  @FieldResolver(() => [Evaluation], { description: 'Its evaluations, newest first (the first comes with the run).' })
  evaluations(@Root() run: Run, @Ctx() context: Context): Promise<Evaluation[]> {
    return context.loaders.evaluationsOfRun.load(run.id);
  }

  @FieldResolver(() => Evaluation, { nullable: true, description: 'The newest evaluation that succeeded.' })
  async latestEvaluation(@Root() run: Run, @Ctx() context: Context): Promise<Evaluation | null> {
    const all = await context.loaders.evaluationsOfRun.load(run.id);
    return all.find((evaluation) => evaluation.status === 'SUCCEEDED') ?? null;
  }
}
