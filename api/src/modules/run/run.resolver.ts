import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';

import type { ConnectionValue } from '../../graphql/connection';
import { viewerOf, type Context } from '../../graphql/context';
import { Requires } from '../../graphql/permissions';
import { loadOrNull } from '../../graphql/loaders';
import { Dataset } from '../dataset/dataset.type';
import { User } from '../user/user.type';
import { RunListArgs, StartRunInput } from './run.input';
import { EpochLoss, Run, RunConnection } from './run.type';

@Resolver(() => Run)
export class RunResolver {
  @Query(() => Run, { nullable: true, description: 'One run, or null if there is none with this id.' })
  run(@Arg('id', () => ID, { description: 'Run id.' }) id: string, @Ctx() context: Context): Promise<Run | null> {
    return loadOrNull(context.loaders.run, id);
  }

  @Query(() => RunConnection, { description: "Runs, newest first: one dataset's, or all." })
  runs(
    @Arg('datasetId', () => ID, { nullable: true, description: 'Only runs on this dataset.' }) datasetId: string | null,
    @Args(() => RunListArgs) args: RunListArgs,
    @Ctx() context: Context,
  ): Promise<ConnectionValue<Run>> {
    return context.services.runs.list(datasetId, args);
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
  @Mutation(() => Run, { description: 'Gives a run another label for people, up to 200 characters (admins).' })
  renameRun(
    @Arg('id', () => ID, { description: 'Run id.' }) id: string,
    @Arg('name', () => String, { description: 'The new label (may be empty).' }) name: string,
    @Ctx() context: Context,
  ): Promise<Run> {
    return context.services.runs.rename(id, name);
  }

  @Requires('ADMIN')
  @Mutation(() => Boolean, {
    description:
      'Deletes an ended run with its results, evaluations, decisions, predictions and exports, and the files no ' +
      'other row uses (admins). A queued or running run is FAILED_PRECONDITION: cancel it first; so is one whose ' +
      'evaluation, export or prediction is still queued or running.',
  })
  deleteRun(@Arg('id', () => ID, { description: 'Run id.' }) id: string, @Ctx() context: Context): Promise<boolean> {
    return context.services.runs.delete(id);
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
}

/** A dataset's runs: Query.runs narrowed to the dataset. */
@Resolver(() => Dataset)
export class DatasetRunsResolver {
  @FieldResolver(() => RunConnection, { description: 'Runs on this dataset, newest first by default.' })
  runs(
    @Root() dataset: Dataset,
    @Args(() => RunListArgs) args: RunListArgs,
    @Ctx() context: Context,
  ): Promise<ConnectionValue<Run>> {
    return context.services.runs.list(dataset.id, args);
  }
}
