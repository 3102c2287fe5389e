import { Role } from '@prisma/client';
import { Args, Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';

import { MIN_PASSWORD_LENGTH } from '../../auth/password-policy';
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
  users(@Args(() => PageArgs) page: PageArgs, @Ctx() context: Context): Promise<ConnectionValue<User>> {
    return context.services.users.list(page);
  }

  @Requires('ADMIN')
  @Mutation(() => User, { description: 'Creates an account (admins only).' })
  createUser(
    @Arg('input', () => CreateUserInput, { description: 'The account to create.' }) input: CreateUserInput,
    @Ctx() context: Context,
  ): Promise<User> {
    return context.services.users.create(input);
  }

  @Requires('ADMIN')
  @Mutation(() => User, {
    description:
      'Disables an account at once (admins only, not their own): it cannot sign in, its sessions end and its API keys are refused.',
  })
  disableUser(
    @Arg('id', () => ID, { description: 'The user to disable.' }) id: string,
    @Ctx() context: Context,
  ): Promise<User> {
    return context.services.users.disable(viewerOf(context), id);
  }

  @Requires('ADMIN')
  @Mutation(() => User, {
    description: 'Enables a disabled account (admins only): it signs in again and its API keys work again.',
  })
  enableUser(
    @Arg('id', () => ID, { description: 'The user to enable.' }) id: string,
    @Ctx() context: Context,
  ): Promise<User> {
    return context.services.users.enable(id);
  }

  @Requires('ADMIN')
  @Mutation(() => User, {
    description:
      "Sets another user's password (admins only; for one's own, changePassword) and ends that user's sessions. " +
      'The password policy applies.',
  })
  resetUserPassword(
    @Arg('id', () => ID, { description: 'The user whose password is reset.' }) id: string,
    @Arg('newPassword', () => String, {
      description: `At least ${MIN_PASSWORD_LENGTH} characters, not only whitespace, not a common password.`,
    })
    newPassword: string,
    @Ctx() context: Context,
  ): Promise<User> {
    return context.services.users.resetPassword(viewerOf(context), id, newPassword);
  }

  @Requires('ADMIN')
  @Mutation(() => User, {
    description: "Changes a user's role (admins only, not their own), from the user's next request on.",
  })
  setUserRole(
    @Arg('id', () => ID, { description: 'The user whose role changes.' }) id: string,
    @Arg('role', () => Role, { description: 'The new role.' }) role: Role,
    @Ctx() context: Context,
  ): Promise<User> {
    return context.services.users.setRole(viewerOf(context), id, role);
  }
}
