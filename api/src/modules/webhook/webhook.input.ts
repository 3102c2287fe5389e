import { WebhookEventType } from '@prisma/client';
import { ArrayMinSize, ArrayUnique, MaxLength } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';

import './webhook.type';

@InputType({ description: 'A new webhook.' })
export class CreateWebhookInput {
  @Field(() => String, { description: 'Where events are POSTed: an http or https URL (private addresses allowed).' })
  url!: string;

  @Field(() => String, { nullable: true, description: 'What the endpoint is for, at most 500 characters.' })
  @MaxLength(500)
  description?: string | null;

  @Field(() => [WebhookEventType], { description: 'The events to send it, at least one.' })
  @ArrayMinSize(1, { message: 'events must name at least one event type' })
  @ArrayUnique()
  events!: WebhookEventType[];

  @Field(() => String, {
    nullable: true,
    description: 'The signing secret, 16-200 characters; omitted: a random one is made (and shown once).',
  })
  secret?: string | null;

  @Field(() => Boolean, { nullable: true, defaultValue: true, description: 'Whether it is sent events at once.' })
  enabled?: boolean | null;
}

@InputType({ description: "A webhook's changes; fields left out stay as they are." })
export class UpdateWebhookInput {
  @Field(() => ID, { description: 'The webhook.' })
  id!: string;

  @Field(() => String, { nullable: true, description: 'A new http or https URL.' })
  url?: string | null;

  @Field(() => String, { nullable: true, description: 'A new description, at most 500 characters.' })
  @MaxLength(500)
  description?: string | null;

  @Field(() => [WebhookEventType], { nullable: true, description: 'The events to send it from now on, at least one.' })
  @ArrayMinSize(1, { message: 'events must name at least one event type' })
  @ArrayUnique()
  events?: WebhookEventType[] | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'False stops it: no new event is recorded for it and pending deliveries are not sent.',
  })
  enabled?: boolean | null;
}
