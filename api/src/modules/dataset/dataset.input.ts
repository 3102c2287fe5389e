import { IsOptional, Length, MaxLength, Matches } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';

import { namedEnum } from '../../graphql/enums';

export const DatasetOrder = namedEnum('DatasetOrder', 'Sort order of dataset lists.', {
  NAME_ASC: 'By name, A to Z.',
  NAME_DESC: 'By name, Z to A.',
  CREATED_AT_DESC: 'Newest first.',
  CREATED_AT_ASC: 'Oldest first.',
  IMAGE_COUNT_DESC: 'Most images first.',
  IMAGE_COUNT_ASC: 'Fewest images first.',
});
export type DatasetOrder = keyof typeof DatasetOrder;

/** What a dataset name may hold; the same rule for createDataset, importDataset, renameDataset and the check. */
export const DATASET_NAME = /^[\w][\w .()+-]*$/;
const NAME = DATASET_NAME;
export const DATASET_NAME_RULE =
  'name may hold letters, digits, spaces and . _ - ( ) + and must start with a letter or digit';

@InputType({ description: 'A new name for a dataset.' })
export class RenameDatasetInput {
  @Field(() => ID, { description: 'Dataset id.' })
  id!: string;

  @Field(() => String, { description: 'Unique name: letters, digits, spaces and . _ - ( ) +, up to 100 characters.' })
  @Length(1, 100)
  @Matches(NAME, { message: DATASET_NAME_RULE })
  name!: string;
}

@InputType({ description: 'An empty dataset, to be filled by importDataset.' })
export class CreateDatasetInput {
  @Field(() => String, { description: 'Unique name: letters, digits, spaces and . _ - ( ) +, up to 100 characters.' })
  @Length(1, 100)
  @Matches(NAME, {
    message: 'name may hold letters, digits, spaces and . _ - ( ) + and must start with a letter or digit',
  })
  name!: string;

  @Field(() => String, {
    nullable: true,
    defaultValue: '',
    description: 'Free text about the data (up to 2000 characters).',
  })
  @IsOptional()
  @MaxLength(2000)
  description?: string | null;

  @Field(() => String, { nullable: true, description: 'Object or texture category; defaults to the name.' })
  @IsOptional()
  @Length(1, 100)
  category?: string | null;
}

@InputType({
  description:
    'Where to import images from: exactly one of `path` (a folder on the server) or `uploadId` (a zip sent to POST /uploads). ' +
    'Layouts: MVTec AD (train/good, test/<defect>, ground_truth/<defect>), plain (normal/, anomalous/, masks/), or a flat folder of images (imported as unlabeled test images).',
})
export class ImportDatasetInput {
  @Field(() => String, {
    nullable: true,
    description:
      'A dataset folder on the server (admins), inside one of the folders VAD_IMPORT_ROOTS names ' +
      '(by default <VAD_DATA_DIR>/imports).',
  })
  @IsOptional()
  @MaxLength(4096)
  path?: string | null;

  @Field(() => ID, { nullable: true, description: 'The id POST /uploads answered with.' })
  @IsOptional()
  uploadId?: string | null;

  @Field(() => ID, {
    nullable: true,
    description: 'Fill this dataset (created empty with createDataset) instead of making a new one.',
  })
  @IsOptional()
  datasetId?: string | null;

  @Field(() => String, {
    nullable: true,
    description: "Name of the new dataset; defaults to the folder's category name.",
  })
  @IsOptional()
  @Length(1, 100)
  @Matches(NAME, {
    message: 'name may hold letters, digits, spaces and . _ - ( ) + and must start with a letter or digit',
  })
  name?: string | null;

  @Field(() => String, { nullable: true, description: 'Free text about the data.' })
  @IsOptional()
  @MaxLength(2000)
  description?: string | null;
}
