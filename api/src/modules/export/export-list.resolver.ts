import { ExportKind } from '@prisma/client';
import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';

import { PageArgs, type ConnectionValue } from '../../graphql/connection';
import type { Context } from '../../graphql/context';
import { User } from '../user/user.type';
import { Export, ExportConnection } from './export.type';

/** Past exports, newest first, and who asked for each: what an export panel lists beside its button. */
@Resolver(() => Export)
export class ExportListResolver {
  @Query(() => ExportConnection, {
    description:
      "Exports, newest first: a run's (runId), a dataset's (datasetId: its mask exports and its runs' exports), or " +
      'all. Each says its status, size and who asked for it; downloadUrl is null until SUCCEEDED and once expired.',
  })
  exports(
    @Arg('runId', () => ID, { nullable: true, description: 'Only the exports of this run.' }) runId: string | null,
    @Arg('datasetId', () => ID, { nullable: true, description: 'Only the exports of this dataset and its runs.' })
    datasetId: string | null,
    @Arg('kind', () => ExportKind, { nullable: true, description: 'Only run exports, or only mask exports.' })
    kind: ExportKind | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() context: Context,
  ): Promise<ConnectionValue<Export>> {
    return context.services.exports.list({ runId, datasetId, kind }, page);
  }

  @FieldResolver(() => User, { nullable: true, description: 'Who asked for it (null once their account is gone).' })
  createdBy(@Root() exported: Export, @Ctx() context: Context): Promise<User> | null {
    return exported.createdById ? context.loaders.user.load(exported.createdById) : null;
  }
}
