import { isObjectType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';

import type { Context } from './context';

/** Resolvers of one object type's fields, by field name: plain functions of (parent, args, context). */
export type PlainFields<Parent> = Readonly<Record<string, GraphQLFieldResolver<Parent, Context>>>;

/**
 * Gives a few fields plain resolvers after type-graphql has built the schema. These are the fields a page of
 * results asks for on every row (its image, the image's mask, URLs): as type-graphql field resolvers each call
 * goes through type-graphql's argument and middleware handling and a resolve-info object that graphql-jit builds
 * for it, which cost a page of 100 results about a sixth of its CPU (`npm run bench -w api`). The fields are
 * declared (type, description) with `@Field` on their class like any other; only their resolution lives here.
 * A field that is missing, or that type-graphql already resolves, is an error at start-up, not a silent null.
 */
export function attachPlainFields(
  schema: GraphQLSchema,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each type's map is typed by its own module
  byType: Readonly<Record<string, PlainFields<any>>>,
): GraphQLSchema {
  for (const [typeName, fields] of Object.entries(byType)) {
    const type = schema.getType(typeName);
    if (!isObjectType(type)) throw new Error(`plain fields: ${typeName} is not an object type of the schema`);
    const declared = type.getFields();
    for (const [fieldName, resolve] of Object.entries(fields)) {
      const field = declared[fieldName];
      if (!field) throw new Error(`plain fields: ${typeName}.${fieldName} is not declared`);
      if (field.resolve) throw new Error(`plain fields: ${typeName}.${fieldName} already has a resolver`);
      field.resolve = resolve;
    }
  }
  return schema;
}
