import { DatasetLayout } from '@prisma/client';
import { Field, Int, ObjectType } from 'type-graphql';

import { Node } from '../../graphql/node';
import { TrackedJob } from '../../graphql/tracked-job';

@ObjectType({
  implements: [Node, TrackedJob],
  simpleResolvers: true,
  description:
    'A startDatasetImport job: importDataset done by a worker, with progress (images checked and copied of all). ' +
    'The dataset appears, whole, when it succeeds; a failure imports nothing. Follow it with ' +
    'datasetImportProgress or by polling datasetImport(id).',
})
export class DatasetImport extends TrackedJob {
  @Field(() => String, {
    nullable: true,
    description: 'Why it failed: the file at fault and what is wrong with it (nothing was imported).',
  })
  error!: string | null;

  @Field(() => String, { description: "The folder's or the zip's name." })
  source!: string;

  @Field(() => String, { nullable: true, description: "The name asked for; null: the folder's category." })
  name!: string | null;

  @Field(() => DatasetLayout, { nullable: true, description: 'The layout read, once it succeeded.' })
  layout!: DatasetLayout | null;

  @Field(() => Int, { description: 'Images imported (0 until it succeeded).' })
  imageCount!: number;

  datasetId!: string | null;
}
