import { ImageLabel } from '@prisma/client';
import { IsOptional, Length } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';

import { namedEnum } from '../../graphql/enums';
import { Verdict } from '../decision/decision.type';

export const ResultOrder = namedEnum('ResultOrder', 'Sort order of result lists.', {
  SCORE_DESC: 'Most anomalous first.',
  SCORE_ASC: 'Least anomalous first.',
});
export type ResultOrder = keyof typeof ResultOrder;

@InputType({ description: "Narrows a run's results by their images." })
export class ResultFilter {
  @Field(() => ImageLabel, { nullable: true, description: 'Only images with this label.' })
  @IsOptional()
  label?: ImageLabel | null;

  @Field(() => String, { nullable: true, description: 'Only images of this defect type (`good`: normal ones).' })
  @IsOptional()
  @Length(1, 200)
  defectType?: string | null;

  @Field(() => Verdict, {
    nullable: true,
    description:
      "Only images the run's decision calls this (with `label`: false positives are label NORMAL, verdict " +
      'ANOMALOUS). A run without a decision refuses it.',
  })
  @IsOptional()
  verdict?: Verdict | null;

  @Field(() => ID, {
    nullable: true,
    description: "Only the run's result for this image (none if the run did not score it): one image across runs.",
  })
  @IsOptional()
  imageId?: string | null;
}
