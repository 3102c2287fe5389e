import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';

import { PageArgs, type ConnectionValue } from '../../graphql/connection';
import { viewerOf, type Context } from '../../graphql/context';
import { Requires } from '../../graphql/permissions';
import { User } from '../user/user.type';
import { CreateDatasetInput, DatasetOrder, ImportDatasetInput, RenameDatasetInput } from './dataset.input';
import { Dataset, DatasetConnection, DatasetCounts, DatasetNameCheck } from './dataset.type';

@Resolver(() => Dataset)
export class DatasetResolver {
  @Query(() => DatasetConnection, { description: 'All datasets, or those whose name contains `search`.' })
  datasets(
    @Args(() => PageArgs) page: PageArgs,
    @Arg('orderBy', () => DatasetOrder, { defaultValue: DatasetOrder.NAME_ASC, description: 'Sort order.' })
    orderBy: DatasetOrder,
    @Arg('search', () => String, {
      nullable: true,
      description: 'Only datasets whose name contains this text, in any case (up to 100 characters).',
    })
    search: string | null,
    @Ctx() context: Context,
  ): Promise<ConnectionValue<Dataset>> {
    return context.services.datasets.list(page, orderBy, search);
  }

  @Requires('ADMIN')
  @Query(() => DatasetNameCheck, {
    description:
      'Whether a new dataset could be given this name now (admins): asked before an upload, so that a taken or ' +
      'malformed name is refused before the upload rather than after it. The import still refuses a name taken ' +
      'meanwhile, with CONFLICT.',
  })
  datasetNameAvailable(
    @Arg('name', () => String, { description: 'The name to check (trimmed as imports trim it).' }) name: string,
    @Ctx() context: Context,
  ): Promise<DatasetNameCheck> {
    return context.services.datasets.nameAvailable(name);
  }

  @Query(() => Dataset, { nullable: true, description: 'One dataset, or null if there is none with this id.' })
  dataset(
    @Arg('id', () => ID, { description: 'Dataset id.' }) id: string,
    @Ctx() context: Context,
  ): Promise<Dataset | null> {
    return context.services.datasets.byId(id);
  }

  @Requires('ADMIN')
  @Mutation(() => Dataset, { description: 'Creates an empty dataset to import images into (admins).' })
  createDataset(
    @Arg('input', () => CreateDatasetInput, { description: 'Name and description.' }) input: CreateDatasetInput,
    @Ctx() context: Context,
  ): Promise<Dataset> {
    return context.services.datasets.create(viewerOf(context), input);
  }

  @Requires('ADMIN')
  @Mutation(() => Dataset, {
    description:
      'Imports a dataset from a server folder or an uploaded zip (admins). Every image and mask is checked first; ' +
      'a bad file imports nothing and the error names it.',
  })
  importDataset(
    @Arg('input', () => ImportDatasetInput, { description: 'Where the images are.' }) input: ImportDatasetInput,
    @Ctx() context: Context,
  ): Promise<Dataset> {
    return context.services.datasets.import(viewerOf(context), input);
  }

  @Requires('ADMIN')
  @Mutation(() => Dataset, {
    description:
      'Gives a dataset a new unique name (admins); a name another dataset has is CONFLICT with extensions.field "name".',
  })
  renameDataset(
    @Arg('input', () => RenameDatasetInput, { description: 'The dataset and its new name.' }) input: RenameDatasetInput,
    @Ctx() context: Context,
  ): Promise<Dataset> {
    return context.services.datasets.rename(input);
  }

  @Requires('ADMIN')
  @Mutation(() => Boolean, {
    description:
      'Deletes a dataset with its images, masks, runs, results, predictions and exports, and the files no other row ' +
      'uses (admins). FAILED_PRECONDITION while its runs, or its evaluations, exports, predictions or mask imports, ' +
      'are queued or running.',
  })
  deleteDataset(
    @Arg('id', () => ID, { description: 'Dataset id.' }) id: string,
    @Ctx() context: Context,
  ): Promise<boolean> {
    return context.services.datasets.delete(id);
  }

  @FieldResolver(() => DatasetCounts, { description: 'Image counts by split and label.' })
  counts(@Root() dataset: Dataset): DatasetCounts {
    return {
      images: dataset.imageCount,
      train: dataset.trainCount,
      test: dataset.testCount,
      normal: dataset.normalCount,
      anomalous: dataset.anomalousCount,
      unlabeled: dataset.unlabeledCount,
    };
  }

  @FieldResolver(() => User, {
    nullable: true,
    description: 'Who created or imported it (null if that account is gone).',
  })
  createdBy(@Root() dataset: Dataset, @Ctx() context: Context): Promise<User> | null {
    return dataset.createdById ? context.loaders.user.load(dataset.createdById) : null;
  }
}
