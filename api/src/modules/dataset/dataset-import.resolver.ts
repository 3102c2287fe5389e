import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';

import { viewerOf, type Context } from '../../graphql/context';
import { loadOrNull } from '../../graphql/loaders';
import { Requires } from '../../graphql/permissions';
import { ImportDatasetInput } from './dataset.input';
import { DatasetImport } from './dataset-import.type';
import { Dataset } from './dataset.type';

@Resolver(() => DatasetImport)
export class DatasetImportResolver {
  @Query(() => DatasetImport, {
    nullable: true,
    description: 'One dataset import, or null if there is none with this id.',
  })
  datasetImport(
    @Arg('id', () => ID, { description: 'Dataset import id.' }) id: string,
    @Ctx() context: Context,
  ): Promise<DatasetImport | null> {
    return context.services.datasetImports.byId(id);
  }

  @Requires('ADMIN')
  @Mutation(() => DatasetImport, {
    description:
      'Queues importDataset for a worker (admins), to follow with datasetImportProgress: the same import, with ' +
      "progress. What can be checked at once is refused at once with importDataset's errors (a path outside the " +
      'import roots, an unknown or used upload, a taken name: CONFLICT); a bad file fails the job, naming it, and ' +
      'nothing is imported.',
  })
  startDatasetImport(
    @Arg('input', () => ImportDatasetInput, { description: 'Where the images are.' }) input: ImportDatasetInput,
    @Ctx() context: Context,
  ): Promise<DatasetImport> {
    return context.services.datasetImports.start(viewerOf(context), input);
  }

  @FieldResolver(() => Dataset, {
    nullable: true,
    description: 'The dataset made or filled, once it succeeded (null before, and if it was deleted since).',
  })
  async dataset(@Root() job: DatasetImport, @Ctx() context: Context): Promise<Dataset | null> {
    return job.datasetId ? loadOrNull(context.loaders.dataset, job.datasetId) : null;
  }
}
