import { ApiKeyScope } from '@prisma/client';
import { ArrayMinSize, ArrayUnique, Length } from 'class-validator';
import { ArgsType, Field } from 'type-graphql';

@ArgsType()
export class CreateApiKeyArgs {
  @Field(() => String, { description: 'What the key is for, 1-100 characters.' })
  @Length(1, 100)
  name!: string;

  @Field(() => [ApiKeyScope], { description: 'READ, or READ and WRITE.' })
  @ArrayMinSize(1, { message: 'scopes must name at least one scope' })
  @ArrayUnique()
  scopes!: ApiKeyScope[];

  @Field(() => Date, { nullable: true, description: 'When the key stops working; in the future. Omitted: never.' })
  expiresAt?: Date | null;
}
