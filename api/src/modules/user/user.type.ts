import { Role } from '@prisma/client';
import { Field, ID, ObjectType } from 'type-graphql';

import { connectionType } from '../../graphql/connection';
import '../../graphql/enums';
import { Node } from '../../graphql/node';

@ObjectType({
  implements: Node,
  simpleResolvers: true,
  description: 'A person who signs in to the platform.',
})
export class User {
  @Field(() => ID, { description: 'Stable identifier.' })
  id!: string;

  @Field(() => String, { description: 'Sign-in address, unique.' })
  email!: string;

  @Field(() => String, { description: 'Display name.' })
  name!: string;

  @Field(() => Role, { description: 'What the user may do.' })
  role!: Role;

  @Field(() => Date, { description: 'When the account was created.' })
  createdAt!: Date;

  @Field(() => Date, {
    nullable: true,
    description: 'When an admin disabled the account; null while it may sign in.',
  })
  disabledAt!: Date | null;
}

export const UserConnection = connectionType('User', User, 'user');
