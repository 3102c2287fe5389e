import { WebhookDeliveryStatus, WebhookEventType, type Prisma } from '@prisma/client';
import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, ID, Int, ObjectType } from 'type-graphql';

import { connectionType } from '../../graphql/connection';
import { describeEnum } from '../../graphql/enums';
import { Node } from '../../graphql/node';

describeEnum(
  WebhookEventType,
  'WebhookEventType',
  "What a webhook can be told about, one event per state transition. The body's `type` and the X-VAD-Event header " +
    'name it in lower case with a dot before the last word (RUN_EXPORT_SUCCEEDED is `run_export.succeeded`).',
  {
    RUN_QUEUED: 'A run was started and waits for a worker. data: { run }.',
    RUN_STARTED: 'A worker took a run (again on each attempt: run.attempt says which). data: { run }.',
    RUN_SUCCEEDED: 'A run finished with its results and first evaluation. data: { run }.',
    RUN_FAILED: 'A run failed for good (run.error says why). data: { run }.',
    RUN_CANCELLED: 'A run was cancelled. data: { run }.',
    EVALUATION_SUCCEEDED: "An evaluation's metrics are ready (a run's first one too). data: { evaluation }.",
    EVALUATION_FAILED: 'An evaluation failed. data: { evaluation }.',
    DATASET_IMPORT_SUCCEEDED: 'importDataset or a startDatasetImport job made a dataset. data: { dataset }.',
    DATASET_IMPORT_FAILED:
      'importDataset or a startDatasetImport job failed; no dataset was made. data: { dataset: { id, name }, ' +
      'error }, and datasetImport: { id } for a job.',
    RUN_EXPORT_SUCCEEDED: "exportRun's zip is ready. data: { export } with its download path.",
    RUN_EXPORT_FAILED: 'exportRun failed. data: { export }.',
    MASK_EXPORT_SUCCEEDED: "exportMasks's zip is ready. data: { export } with its download path.",
    MASK_EXPORT_FAILED: 'exportMasks failed. data: { export }.',
    MASK_IMPORT_SUCCEEDED: 'importMasks landed its masks as new versions. data: { maskImport }.',
    MASK_IMPORT_FAILED: 'importMasks failed; no mask was changed. data: { maskImport }.',
    MASK_SUBMITTED: 'An annotator submitted a mask version for review. data: { mask }.',
    MASK_APPROVED: 'A reviewer approved a mask version. data: { mask, review }.',
    MASK_REJECTED: 'A reviewer rejected a mask version. data: { mask, review }.',
    WEBHOOK_TEST: 'sendTestWebhook: sent to one webhook whatever it subscribes to. data: { webhook: { id } }.',
  },
);

describeEnum(WebhookDeliveryStatus, 'WebhookDeliveryStatus', 'Where one event stands with one webhook.', {
  PENDING: 'Not yet answered with a 2xx: waiting for its first POST or its next retry.',
  DELIVERED: 'The receiver answered 2xx.',
  FAILED: 'Out of attempts, or the webhook was disabled before it went out; redeliverWebhookDelivery sends it again.',
});

@ObjectType({
  implements: Node,
  simpleResolvers: true,
  description:
    'An endpoint POSTed the events it subscribes to, signed with its secret (X-VAD-Signature). The secret is shown ' +
    'only by createWebhook and rotateWebhookSecret.',
})
export class Webhook {
  @Field(() => ID, { description: 'Stable identifier.' })
  id!: string;

  @Field(() => String, { description: 'Where events are POSTed (http or https).' })
  url!: string;

  @Field(() => String, { description: 'What the endpoint is for.' })
  description!: string;

  @Field(() => [WebhookEventType], { description: 'The events it is sent.' })
  events!: WebhookEventType[];

  @Field(() => Boolean, { description: 'False: no event is recorded for it and pending deliveries are not sent.' })
  enabled!: boolean;

  @Field(() => Date, { description: 'When it was created.' })
  createdAt!: Date;

  @Field(() => Date, { description: 'When it was last changed (URL, events, enabled, secret).' })
  updatedAt!: Date;

  createdById!: string | null;
  secret!: string;
}

@ObjectType({
  implements: Node,
  simpleResolvers: true,
  description: 'One event for one webhook, and how its delivery went.',
})
export class WebhookDelivery {
  @Field(() => ID, { description: 'Sent as X-VAD-Delivery, the same on every attempt: receivers deduplicate on it.' })
  id!: string;

  @Field(() => ID, { description: "The event (the body's `id`), the same for every webhook told of it." })
  eventId!: string;

  @Field(() => WebhookEventType, { description: 'What happened.' })
  eventType!: WebhookEventType;

  @Field(() => GraphQLJSONObject, { description: "The body's `data`." })
  payload!: Prisma.JsonValue;

  @Field(() => WebhookDeliveryStatus, { description: 'Where it stands.' })
  status!: WebhookDeliveryStatus;

  @Field(() => Int, { description: 'POSTs made so far, over every (re)delivery.' })
  attempts!: number;

  @Field(() => Int, { nullable: true, description: 'HTTP status of the last answer; null: none yet, or no answer.' })
  lastResponseStatus!: number | null;

  @Field(() => String, { nullable: true, description: 'Why the last attempt failed (no answer, a non-2xx...).' })
  lastError!: string | null;

  @Field(() => Date, { description: 'When the event happened.' })
  createdAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When the last POST was made.' })
  lastAttemptAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When a 2xx came back.' })
  deliveredAt!: Date | null;

  webhookId!: string;
}

@ObjectType({
  simpleResolvers: true,
  description: 'A webhook and its signing secret: store the secret now, it is not shown again.',
})
export class WebhookWithSecret {
  @Field(() => Webhook, { description: 'The webhook.' })
  webhook!: Webhook;

  @Field(() => String, {
    description: 'The HMAC-SHA256 key of X-VAD-Signature (api/README.md, "Webhooks", shows how to check it).',
  })
  secret!: string;
}

export const WebhookConnection = connectionType('Webhook', Webhook, 'webhook');
export const WebhookDeliveryConnection = connectionType('WebhookDelivery', WebhookDelivery, 'webhook delivery');
