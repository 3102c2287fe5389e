import 'reflect-metadata';

import { createPubSub } from '@graphql-yoga/subscription';
import type { GraphQLSchema } from 'graphql';
import { buildSchema, type PubSub } from 'type-graphql';

import { checkDeclarations } from './graphql/permissions';
import { attachNodeTypes } from './graphql/node';
import { attachPlainFields } from './graphql/plain-fields';
import { validateInput } from './graphql/validation';
import { ApiKeyResolver, UserApiKeysResolver } from './modules/api-key/api-key.resolver';
import { ColourMapResolver } from './modules/colour-map/colour-map.resolver';
import { DatasetImportResolver } from './modules/dataset/dataset-import.resolver';
import { DatasetResolver } from './modules/dataset/dataset.resolver';
import { WebhookResolver } from './modules/webhook/webhook.resolver';
import { RunDecisionResolver } from './modules/decision/decision.resolver';
import { EvaluationResolver, RunEvaluationsResolver } from './modules/evaluation/evaluation.resolver';
import { ExportListResolver } from './modules/export/export-list.resolver';
import { ExportResolver } from './modules/export/export.resolver';
import { JobProgressSubscriptionResolver } from './modules/export/job-progress.subscription';
import { MaskImportOfMaskResolver, MaskImportResolver } from './modules/export/mask-import.resolver';
import {
  PredictedImageResolver,
  PredictionResolver,
  RunPredictionsResolver,
} from './modules/prediction/prediction.resolver';
import {
  DatasetImagesResolver,
  imagePlainFields,
  ImageResolver,
  MaskImageResolver,
} from './modules/image/image.resolver';
import { ImageSubscriptionResolver } from './modules/image/image.subscription';
import { MaskResolver, MaskReviewResolver } from './modules/mask/mask.resolver';
import { MaskSubscriptionResolver } from './modules/mask/mask.subscription';
import { NodeResolver } from './modules/node/node.resolver';
import { PresetResolver } from './modules/preset/preset.resolver';
import { RunOptionResolver } from './modules/run-option/run-option.resolver';
import {
  ImageLatestResultResolver,
  ResultResolver,
  resultPlainFields,
  RunResultsResolver,
} from './modules/result/result.resolver';
import { DatasetRunsResolver, RunResolver } from './modules/run/run.resolver';
import { RunSettingsResolver } from './modules/run/run-settings.resolver';
import { RunSubscriptionResolver } from './modules/run/run.subscription';
import { SessionResolver } from './modules/session/session.resolver';
import { UserResolver } from './modules/user/user.resolver';
import { AssignmentResolver } from './modules/assignment/assignment.resolver';
import { ReviewResolver } from './modules/review/review.resolver';
import { SettingsResolver } from './modules/settings/settings.resolver';
import { WorkerResolver } from './modules/worker/worker.resolver';

export const RESOLVERS = [
  NodeResolver,
  UserResolver,
  SessionResolver,
  ApiKeyResolver,
  UserApiKeysResolver,
  DatasetResolver,
  DatasetImportResolver,
  WebhookResolver,
  ImageResolver,
  DatasetImagesResolver,
  MaskImageResolver,
  ImageSubscriptionResolver,
  MaskResolver,
  MaskReviewResolver,
  MaskSubscriptionResolver,
  RunResolver,
  RunSettingsResolver,
  DatasetRunsResolver,
  RunSubscriptionResolver,
  WorkerResolver,
  PresetResolver,
  RunOptionResolver,
  ColourMapResolver,
  ResultResolver,
  RunResultsResolver,
  ImageLatestResultResolver,
  RunDecisionResolver,
  EvaluationResolver,
  RunEvaluationsResolver,
  ExportResolver,
  ExportListResolver,
  MaskImportResolver,
  MaskImportOfMaskResolver,
  JobProgressSubscriptionResolver,
  PredictionResolver,
  PredictedImageResolver,
  RunPredictionsResolver,
  SettingsResolver,
  AssignmentResolver,
  ReviewResolver,
] as const;

/**
 * The GraphQL schema. `pubSub` carries subscription events: Postgres-backed in the server (events/pubsub.ts); an
 * in-process one when only the schema's shape matters (printing it).
 */
export async function createSchema(pubSub?: PubSub): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    resolvers: [...RESOLVERS],
    validateFn: validateInput,
    pubSub: pubSub ?? createPubSub(),
  });
  // type-graphql has no decorator for the root types' own descriptions.
  const roots = [
    [schema.getQueryType(), 'Reads. Every field needs a session or an API key (any role, READ scope).'],
    [schema.getMutationType(), 'Writes. Each says which role it needs; API keys need the WRITE scope.'],
    [schema.getSubscriptionType(), 'Live updates over graphql-ws on /graphql (same credentials as queries).'],
  ] as const;
  for (const [type, description] of roots) if (type) type.description = description;
  attachPlainFields(schema, { Result: resultPlainFields, Image: imagePlainFields });
  attachNodeTypes(schema);
  return checkDeclarations(schema);
}
