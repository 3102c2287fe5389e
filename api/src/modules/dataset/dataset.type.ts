import { DatasetLayout } from '@prisma/client';
import { Field, ID, Int, ObjectType } from 'type-graphql';

import { connectionType } from '../../graphql/connection';
import '../../graphql/enums';
import { Node } from '../../graphql/node';

@ObjectType({ description: 'How many images a dataset holds, by split and label.', simpleResolvers: true })
export class DatasetCounts {
  @Field(() => Int, { description: 'All images.' })
  images!: number;

  @Field(() => Int, { description: 'Training images (normal).' })
  train!: number;

  @Field(() => Int, { description: 'Test images (normal, anomalous and unlabeled).' })
  test!: number;

  @Field(() => Int, { description: 'Normal images, both splits.' })
  normal!: number;

  @Field(() => Int, { description: 'Anomalous images.' })
  anomalous!: number;

  @Field(() => Int, { description: 'Images without a label yet.' })
  unlabeled!: number;
}

@ObjectType({
  implements: Node,
  simpleResolvers: true,
  description: 'A set of images (one category of a benchmark, or a lab collection) that runs train and test on.',
})
export class Dataset {
  @Field(() => ID, { description: 'Stable identifier.' })
  id!: string;

  @Field(() => String, { description: 'Unique name.' })
  name!: string;

  @Field(() => String, { description: 'Free text about the data.' })
  description!: string;

  @Field(() => DatasetLayout, { description: 'The layout it was imported from.' })
  layout!: DatasetLayout;

  @Field(() => String, { description: 'Object or texture category, e.g. `magnetic-tile`.' })
  category!: string;

  @Field(() => Int, { description: '1 (grayscale) or 3 (colour): what models trained on it see.' })
  channels!: number;

  @Field(() => [String], { description: 'Names of the defect types among its anomalous images, sorted.' })
  defectTypes!: string[];

  @Field(() => [String], {
    description: 'Problems the import reported that did not stop it (for example anomalous images without masks).',
  })
  warnings!: string[];

  @Field(() => Date, { description: 'When the dataset was created.' })
  createdAt!: Date;

  // Columns the field resolvers read; not exposed as such.
  imageCount!: number;
  trainCount!: number;
  testCount!: number;
  normalCount!: number;
  anomalousCount!: number;
  unlabeledCount!: number;
  createdById!: string | null;
}

export const DatasetConnection = connectionType('Dataset', Dataset, 'dataset');

@ObjectType({ description: 'Whether a new dataset could take a name now, and why not.', simpleResolvers: true })
export class DatasetNameCheck {
  @Field(() => String, { description: 'The name as it would be stored (trimmed).' })
  name!: string;

  @Field(() => Boolean, { description: 'True when the name is well formed and no dataset has it.' })
  available!: boolean;

  @Field(() => String, { nullable: true, description: 'Why it is not available, in words (null when it is).' })
  reason!: string | null;
}
