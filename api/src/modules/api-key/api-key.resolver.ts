import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';

import { viewerOf, type Context } from '../../graphql/context';
import { Requires } from '../../graphql/permissions';
import { User } from '../user/user.type';
import { CreateApiKeyArgs } from './api-key.input';
import { ApiKey, CreatedApiKey } from './api-key.type';

@Resolver(() => ApiKey)
export class ApiKeyResolver {
  @Requires('SESSION')
  @Mutation(() => CreatedApiKey, {
    description:
      'Creates an API key for the signed-in user (a session is needed: keys cannot mint keys). The secret is in the answer and nowhere else.',
  })
  createApiKey(
    @Args(() => CreateApiKeyArgs) { name, scopes, expiresAt }: CreateApiKeyArgs,
    @Ctx() context: Context,
  ): Promise<CreatedApiKey> {
    return context.services.apiKeys.create(viewerOf(context), name, scopes, expiresAt ?? null);
  }

  @Requires('SESSION')
  @Mutation(() => ApiKey, { description: "Revokes one of the signed-in user's keys (admins: any key)." })
  revokeApiKey(
    @Arg('id', () => ID, { description: 'The key to revoke.' }) id: string,
    @Ctx() context: Context,
  ): Promise<ApiKey> {
    return context.services.apiKeys.revoke(viewerOf(context), id);
  }
}

/** A user's API keys. */
@Resolver(() => User)
export class UserApiKeysResolver {
  @FieldResolver(() => [ApiKey], {
    description: "The user's API keys, revoked ones included. Visible to the user and to admins; empty for others.",
  })
  apiKeys(@Root() user: User, @Ctx() context: Context): Promise<ApiKey[]> {
    return context.services.apiKeys.listForUser(viewerOf(context), user.id);
  }
}
