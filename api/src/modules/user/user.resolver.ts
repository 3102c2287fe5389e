import { Args, Arg, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';

import { PageArgs, connectionType, type ConnectionValue } from '../../graphql/connection';
import { viewerOf, type Context } from '../../graphql/context';
import { Requires } from '../../graphql/permissions';
import { ApiKey } from '../api-key/api-key.type';
import { CreateUserInput } from './user.input';
import { User } from './user.type';

export const UserConnection = connectionType('User', User, 'user');

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

  @FieldResolver(() => [ApiKey], {
    description: "The user's API keys, revoked ones included. Visible to the user and to admins; empty for others.",
  })
  apiKeys(@Root() user: User, @Ctx() context: Context): Promise<ApiKey[]> | ApiKey[] {
    const viewer = viewerOf(context);
    if (viewer.user.id !== user.id && viewer.user.role !== 'ADMIN') return [];
    return context.services.apiKeys.listForUser(user.id);
  }
}
