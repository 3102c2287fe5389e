import { ImageLabel } from '@prisma/client';
import { IsOptional, Length } from 'class-validator';
import { Field, InputType, registerEnumType } from 'type-graphql';

import '../../graphql/enums';

export enum ResultOrder {
  SCORE_DESC = 'SCORE_DESC',
  SCORE_ASC = 'SCORE_ASC',
}

registerEnumType(ResultOrder, {
  name: 'ResultOrder',
  description: 'Sort order of result lists.',
  valuesConfig: {
    SCORE_DESC: { description: 'Most anomalous first.' },
    SCORE_ASC: { description: 'Least anomalous first.' },
  },
});

@InputType({ description: "Narrows a run's results by their images." })
export class ResultFilter {
  @Field(() => ImageLabel, { nullable: true, description: 'Only images with this label.' })
  @IsOptional()
  label?: ImageLabel | null;

  @Field(() => String, { nullable: true, description: 'Only images of this defect type (`good`: normal ones).' })
  @IsOptional()
  @Length(1, 200)
  defectType?: string | null;
}
