import { RunStatus } from '@prisma/client';
import { IsOptional, Length } from 'class-validator';
import { ArgsType, Field, ID, InputType } from 'type-graphql';

import { PageArgs } from '../../graphql/connection';
import { namedEnum } from '../../graphql/enums';
import { declareOptionInputs, type OptionInputs } from '../run-option/option-fields';

export const RunOrder = namedEnum('RunOrder', 'Sort order of run lists.', {
  CREATED_AT_DESC: 'Newest first.',
  CREATED_AT_ASC: 'Oldest first.',
});
export type RunOrder = keyof typeof RunOrder;

// The class holds the fields written here; the interface of the same name types the option fields that
// declareOptionInputs adds from the schema at load time (a deliberate class-interface merge).
@InputType({
  description: 'A new run: the dataset and pipeline options. Options left out come from the preset and the data.',
})
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class StartRunInput {
  @Field(() => ID, {
    description: 'The dataset to train and test on (needs 2 normal training images and a test image).',
  })
  datasetId!: string;

  @Field(() => String, { nullable: true, defaultValue: '', description: 'A label for people (up to 200 characters).' })
  @IsOptional()
  @Length(0, 200)
  name?: string | null;
}
// Every pipeline option, as the option schema in @vad/models declares it (the CLI's flags are the same options).
// eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unsafe-declaration-merging
export interface StartRunInput extends OptionInputs {}
declareOptionInputs(StartRunInput);

@InputType({ description: 'Narrows a run list.' })
export class RunFilter {
  @Field(() => [RunStatus], { nullable: true, description: 'Only runs in one of these states.' })
  @IsOptional()
  status?: RunStatus[] | null;

  @Field(() => [ID], {
    nullable: true,
    description: 'Only these runs (as many as a page holds), e.g. the runs a client compares, read in one request.',
  })
  @IsOptional()
  ids?: string[] | null;
}

/** The arguments of every list of runs (Query.runs, Dataset.runs). */
@ArgsType()
export class RunListArgs extends PageArgs {
  @Field(() => RunFilter, { nullable: true, description: 'Conditions on the runs.' })
  @IsOptional()
  filter?: RunFilter | null;

  @Field(() => RunOrder, { defaultValue: RunOrder.CREATED_AT_DESC, description: 'Sort order.' })
  orderBy!: RunOrder;
}
