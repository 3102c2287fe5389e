import { Args, Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';

import { PageArgs, type ConnectionValue } from '../../graphql/connection';
import { viewerOf, type Context } from '../../graphql/context';
import { Requires } from '../../graphql/permissions';
import { CreateUserInput } from './user.input';
import { User, UserConnection } from './user.type';

@Resolver(() => User)
export class UserResolver {
  @Query(() => User, { description: 'The signed-in user, or the owner of the API key in use.' })
  me(@Ctx() context: Context): Promise<User> {
    return context.loaders.user.load(viewerOf(context).user.id);
  }

  @Requires('ADMIN')
  @Query(() => UserConnection, { description: 'All users, by email (admins only).' })
  users(@Args(() => PageArgs) { first, after }: PageArgs, @Ctx() context: Context): Promise<ConnectionValue<User>> {
    return context.services.users.list(first, after);
  }

  @Requires('ADMIN')
  @Mutation(() => User, { description: 'Creates an account (admins only).' })
  createUser(
    @Arg('input', () => CreateUserInput, { description: 'The account to create.' }) input: CreateUserInput,
    @Ctx() context: Context,
  ): Promise<User> {
    return context.services.users.create(input);
  }
}
