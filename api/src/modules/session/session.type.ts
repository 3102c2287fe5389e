import { Field, ObjectType } from 'type-graphql';

import { User } from '../user/user.type';

@ObjectType({
  simpleResolvers: true,
  description: 'A successful sign-in. The session itself travels in an httpOnly cookie.',
})
export class LoginResult {
  @Field(() => User, { description: 'The signed-in user.' })
  user!: User;

  @Field(() => Date, { description: 'When the session ends unless the user signs in again.' })
  expiresAt!: Date;
}
