import type { GraphQLSchema } from 'graphql';

import { viewerOf, type Context } from '../../graphql/context';
import { BadInputError } from '../../graphql/errors';
import { isUuid } from '../../graphql/ids';
import { loadOrNull } from '../../graphql/loaders';
import { asNode } from '../../graphql/node';
import { fieldAllows } from '../../graphql/permissions';

/**
 * One type that implements Node: its table, and how one object is read with the same rules as the type's own
 * query (`run(id:)`, `export(id:)`...), so that `node(id:)` answers exactly what that query would.
 */
export interface NodeKind {
  typename: string;
  table: string;
  /** The object, or null where the type's own query answers null (none, or not the viewer's to read). */
  read(id: string, context: Context, schema: GraphQLSchema): Promise<object | null>;
}

/**
 * Whether the viewer may read a user: themselves (`me`), or anyone when they may ask for `users` (admins): users
 * have no query by id, and one that another object names (a run's `createdBy`) is read from that object.
 */
function readsUser(userId: string, context: Context, schema: GraphQLSchema): boolean {
  const viewer = viewerOf(context);
  return viewer.user.id === userId || fieldAllows(context.auth, schema.getQueryType(), 'users');
}

/** Whether the viewer may ask for a query field that only some roles may (`webhook`: admins only). */
function mayQuery(queryField: string, context: Context, schema: GraphQLSchema): boolean {
  return fieldAllows(context.auth, schema.getQueryType(), queryField);
}

/** Every type that implements Node. A new entity type adds itself here (the table must hold UUID ids). */
export const NODE_KINDS: readonly NodeKind[] = [
  { typename: 'Dataset', table: 'Dataset', read: (id, context) => context.services.datasets.byId(id) },
  { typename: 'Image', table: 'Image', read: (id, context) => context.services.images.byId(id) },
  { typename: 'Mask', table: 'Mask', read: (id, context) => loadOrNull(context.loaders.mask, id) },
  {
    typename: 'MaskReview',
    table: 'MaskReview',
    read: (id, context) => context.services.prisma.maskReview.findUnique({ where: { id } }),
  },
  { typename: 'Run', table: 'Run', read: (id, context) => loadOrNull(context.loaders.run, id) },
  { typename: 'Result', table: 'Result', read: (id, context) => context.services.results.byId(id, context.loaders) },
  { typename: 'Evaluation', table: 'Evaluation', read: (id, context) => context.services.evaluations.byId(id) },
  { typename: 'Export', table: 'Export', read: (id, context) => context.services.exports.byId(id) },
  { typename: 'MaskImport', table: 'MaskImport', read: (id, context) => context.services.maskImports.byId(id) },
  {
    typename: 'DatasetImport',
    table: 'DatasetImport',
    read: (id, context) => context.services.datasetImports.byId(id),
  },
  { typename: 'Prediction', table: 'Prediction', read: (id, context) => context.services.predictions.byId(id) },
  {
    typename: 'PredictedImage',
    table: 'PredictionImage',
    // As Prediction.images shows them: to whoever reads predictions.
    read: (id, context) => context.services.prisma.predictionImage.findUnique({ where: { id } }),
  },
  {
    typename: 'Webhook',
    table: 'Webhook',
    read: async (id, context, schema) =>
      mayQuery('webhook', context, schema) ? context.services.webhooks.byId(id) : null,
  },
  {
    typename: 'WebhookDelivery',
    table: 'WebhookDelivery',
    read: async (id, context, schema) =>
      mayQuery('webhook', context, schema)
        ? context.services.prisma.webhookDelivery.findUnique({ where: { id } })
        : null,
  },
  {
    typename: 'User',
    table: 'User',
    read: async (id, context, schema) => (readsUser(id, context, schema) ? loadOrNull(context.loaders.user, id) : null),
  },
  {
    typename: 'ApiKey',
    table: 'ApiKey',
    read: async (id, context, schema) => {
      const key = await context.services.prisma.apiKey.findUnique({ where: { id } });
      // As User.apiKeys shows them: to their owner and to admins.
      return key && readsUser(key.userId, context, schema) ? key : null;
    },
  },
];

const KIND_BY_TYPENAME = new Map(NODE_KINDS.map((kind) => [kind.typename, kind]));

/** node(id:) and nodes(ids:): which table holds each id (one statement for all of them), then each type's own read. */
export class NodeService {
  /** The objects of `ids`, in their order: null for an id that names nothing the viewer may read. */
  async read(
    ids: readonly string[],
    argument: 'id' | 'ids',
    context: Context,
    schema: GraphQLSchema,
  ): Promise<(object | null)[]> {
    const malformed = ids.find((id) => !isUuid(id));
    if (malformed !== undefined) throw new BadInputError(`${argument}: "${malformed}" is not an id (a UUID)`, argument);
    if (ids.length === 0) return [];
    const union = NODE_KINDS.map(
      (kind) => `SELECT id, '${kind.typename}' AS typename FROM "${kind.table}" WHERE id = ANY($1::uuid[])`,
    ).join(' UNION ALL ');
    const found = await context.services.prisma.$queryRawUnsafe<{ id: string; typename: string }[]>(union, [
      ...new Set(ids),
    ]);
    const typenameOf = new Map(found.map((row) => [row.id, row.typename]));
    return Promise.all(
      ids.map(async (id) => {
        const kind = KIND_BY_TYPENAME.get(typenameOf.get(id) ?? '');
        const row = kind ? await kind.read(id, context, schema) : null;
        return row && asNode(row, kind!.typename);
      }),
    );
  }
}
