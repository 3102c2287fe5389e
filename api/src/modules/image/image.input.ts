import { ImageLabel, MaskStatus, Split } from '@prisma/client';
import { IsOptional, Length } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';

import { namedEnum } from '../../graphql/enums';

export const ImageOrder = namedEnum('ImageOrder', 'Sort order of image lists.', {
  NAME_ASC: 'By name (split/defect/file), A to Z.',
  NAME_DESC: 'By name, Z to A.',
});
export type ImageOrder = keyof typeof ImageOrder;

@InputType({ description: 'Narrows an image list; all given conditions must hold.' })
export class ImageFilter {
  @Field(() => Split, { nullable: true, description: 'Only this split.' })
  @IsOptional()
  split?: Split | null;

  @Field(() => ImageLabel, { nullable: true, description: 'Only this label.' })
  @IsOptional()
  label?: ImageLabel | null;

  @Field(() => String, { nullable: true, description: 'Only this defect type (`good` for normal images).' })
  @IsOptional()
  @Length(1, 200)
  defectType?: string | null;

  @Field(() => MaskStatus, { nullable: true, description: 'Only images whose latest mask version has this status.' })
  @IsOptional()
  maskStatus?: MaskStatus | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'true: only images with a mask; false: only images without one.',
  })
  @IsOptional()
  hasMask?: boolean | null;

  @Field(() => ID, { nullable: true, description: 'Only images assigned to this user (assignImages).' })
  @IsOptional()
  assigneeId?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'true: only images assigned to someone; false: only unassigned images.',
  })
  @IsOptional()
  assigned?: boolean | null;
}
