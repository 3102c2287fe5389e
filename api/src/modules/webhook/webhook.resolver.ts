import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';

import { PageArgs, type ConnectionValue } from '../../graphql/connection';
import { viewerOf, type Context } from '../../graphql/context';
import { Requires } from '../../graphql/permissions';
import { User } from '../user/user.type';
import { CreateWebhookInput, UpdateWebhookInput } from './webhook.input';
import {
  Webhook,
  WebhookConnection,
  WebhookDelivery,
  WebhookDeliveryConnection,
  WebhookWithSecret,
} from './webhook.type';

/** Webhooks are admins' business: every field here needs ADMIN, reads included (URLs can be internal). */
@Resolver(() => Webhook)
export class WebhookResolver {
  @Requires('ADMIN')
  @Query(() => WebhookConnection, { description: 'The webhooks, newest first (admins only).' })
  webhooks(@Args(() => PageArgs) page: PageArgs, @Ctx() context: Context): Promise<ConnectionValue<Webhook>> {
    return context.services.webhooks.list(page);
  }

  @Requires('ADMIN')
  @Query(() => Webhook, { nullable: true, description: 'One webhook, or null if there is none (admins only).' })
  webhook(
    @Arg('id', () => ID, { description: 'Webhook id.' }) id: string,
    @Ctx() context: Context,
  ): Promise<Webhook | null> {
    return context.services.webhooks.byId(id);
  }

  @Requires('ADMIN')
  @FieldResolver(() => WebhookDeliveryConnection, {
    description: 'Its deliveries, newest first: one per event it was told of, with how each went.',
  })
  deliveries(
    @Root() webhook: Webhook,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() context: Context,
  ): Promise<ConnectionValue<WebhookDelivery>> {
    return context.services.webhooks.deliveries(webhook.id, page);
  }

  @FieldResolver(() => User, { nullable: true, description: 'Who created it (null once that account is deleted).' })
  createdBy(@Root() webhook: Webhook, @Ctx() context: Context): Promise<User> | null {
    return webhook.createdById ? context.loaders.user.load(webhook.createdById) : null;
  }

  @Requires('ADMIN')
  @Mutation(() => WebhookWithSecret, {
    description:
      'Adds a webhook (admins only). The answer holds its signing secret, given or made here: it is not shown again.',
  })
  createWebhook(
    @Arg('input', () => CreateWebhookInput, { description: 'The webhook.' }) input: CreateWebhookInput,
    @Ctx() context: Context,
  ): Promise<WebhookWithSecret> {
    return context.services.webhooks.create(viewerOf(context), input);
  }

  @Requires('ADMIN')
  @Mutation(() => Webhook, { description: "Changes a webhook's URL, description, events or enabled (admins only)." })
  updateWebhook(
    @Arg('input', () => UpdateWebhookInput, { description: 'The changes.' }) input: UpdateWebhookInput,
    @Ctx() context: Context,
  ): Promise<Webhook> {
    return context.services.webhooks.update(input);
  }

  @Requires('ADMIN')
  @Mutation(() => Boolean, {
    description: 'Deletes a webhook and its delivery log (admins only); what it was not yet sent is not sent.',
  })
  deleteWebhook(
    @Arg('id', () => ID, { description: 'The webhook.' }) id: string,
    @Ctx() context: Context,
  ): Promise<boolean> {
    return context.services.webhooks.delete(id);
  }

  @Requires('ADMIN')
  @Mutation(() => WebhookWithSecret, {
    description: 'Gives a webhook a new random signing secret, used from the next attempt on (admins only).',
  })
  rotateWebhookSecret(
    @Arg('id', () => ID, { description: 'The webhook.' }) id: string,
    @Ctx() context: Context,
  ): Promise<WebhookWithSecret> {
    return context.services.webhooks.rotateSecret(id);
  }

  @Requires('ADMIN')
  @Mutation(() => WebhookDelivery, {
    description:
      'Sends a delivery again with the same delivery id (X-VAD-Delivery), with a fresh set of attempts (admins only).',
  })
  redeliverWebhookDelivery(
    @Arg('id', () => ID, { description: 'The delivery.' }) id: string,
    @Ctx() context: Context,
  ): Promise<WebhookDelivery> {
    return context.services.webhooks.redeliver(id);
  }

  @Requires('ADMIN')
  @Mutation(() => WebhookDelivery, {
    description:
      'Sends the webhook a `webhook.test` event, enabled or not, and answers its delivery (admins only); its status ' +
      'is in the delivery log once a worker has sent it.',
  })
  sendTestWebhook(
    @Arg('id', () => ID, { description: 'The webhook.' }) id: string,
    @Ctx() context: Context,
  ): Promise<WebhookDelivery> {
    return context.services.webhooks.sendTest(id);
  }
}
