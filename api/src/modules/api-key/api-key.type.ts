import { ApiKeyScope } from '@prisma/client';
import { Field, ID, ObjectType } from 'type-graphql';

import '../../graphql/enums';
import { Node } from '../../graphql/node';

@ObjectType({
  implements: Node,
  simpleResolvers: true,
  description:
    'A credential for external tools (Authorization: Bearer <key>). The secret is never shown again after creation.',
})
export class ApiKey {
  @Field(() => ID, { description: 'Stable identifier.' })
  id!: string;

  @Field(() => String, { description: 'What the key is for.' })
  name!: string;

  @Field(() => String, { description: 'The public start of the key (`vad_<prefix>_...`), to recognise it.' })
  prefix!: string;

  @Field(() => [ApiKeyScope], { description: 'What the key may do.' })
  scopes!: ApiKeyScope[];

  @Field(() => Date, { description: 'When the key was created.' })
  createdAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When the key was last used (to the minute), if ever.' })
  lastUsedAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the key was revoked; revoked keys are refused.' })
  revokedAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the key stops working; null: never.' })
  expiresAt!: Date | null;
}

@ObjectType({
  simpleResolvers: true,
  description: 'A new API key and its secret: store the secret now, it is shown only once.',
})
export class CreatedApiKey {
  @Field(() => ApiKey, { description: 'The key.' })
  apiKey!: ApiKey;

  @Field(() => String, { description: 'The full key to send as `Authorization: Bearer <secret>`.' })
  secret!: string;
}
