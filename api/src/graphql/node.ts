import { isInterfaceType, type GraphQLSchema } from 'graphql';
import { Field, ID, InterfaceType } from 'type-graphql';

// The Relay Node interface. Entities are rows of different tables, all keyed by random (v4) UUIDs, so an id alone
// names one object: `node(id:)` finds its table (modules/node). What an id resolved to is remembered here, since
// the rows are plain objects that do not say their GraphQL type.

const typeOfNode = new WeakMap<object, string>();

/** Marks `row` as an object of GraphQL type `typename` for Node's type resolution; answers the row. */
export function asNode<T extends object>(row: T, typename: string): T {
  typeOfNode.set(row, typename);
  return row;
}

@InterfaceType({
  description:
    'An object with a stable id (Relay): every entity implements it, and `node(id:)` / `nodes(ids:)` read any of ' +
    'them by id alone.',
})
export abstract class Node {
  @Field(() => ID, { description: 'Stable identifier, unique across all types.' })
  id!: string;
}

/**
 * Gives the schema's Node its type resolution: type-graphql's own is async, which graphql-jit does not await, so
 * the schema gets this synchronous one once built.
 */
export function attachNodeTypes(schema: GraphQLSchema): GraphQLSchema {
  const node = schema.getType('Node');
  if (!isInterfaceType(node)) throw new Error('the schema has no Node interface');
  node.resolveType = (value) => {
    const typename = typeof value === 'object' && value !== null ? typeOfNode.get(value) : undefined;
    if (typename === undefined) throw new Error('a Node was answered without its type (graphql/node.ts asNode)');
    return typename;
  };
  return schema;
}
