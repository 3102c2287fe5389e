import {
  getNamedType,
  GraphQLError,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { getComplexity, simpleEstimator, type ComplexityEstimator } from 'graphql-query-complexity';

import type { Limits } from '../config';
import { DEFAULT_PAGE_SIZE } from './connection';
import { QueryTooComplexError } from './errors';

/** What an operation asks for with its fragments expanded; introspection (`__schema`, `__type`) is not counted. */
export interface OperationShape {
  /** Nesting depth. */
  depth: number;
  /** Fields, each occurrence counted (a fragment spread twice counts twice). */
  fields: number;
  /** Fields asked for under an alias. */
  aliases: number;
}

const NOTHING: OperationShape = { depth: 0, fields: 0, aliases: 0 };

/**
 * Measures an operation in one pass that reads each fragment once: a fragment spread twice, whose fragment
 * spreads another twice..., stands for exponentially many fields, which a walk that expands fragments at every
 * spread would visit one by one (twenty such fragments took seconds).
 */
export function measureOperation(document: DocumentNode, operation: OperationDefinitionNode): OperationShape {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const measured = new Map<string, OperationShape>();
  const open = new Set<string>();
  const fragment = (name: string): OperationShape => {
    const known = measured.get(name);
    if (known) return known;
    const definition = fragments.get(name);
    // A cycle is reported by the standard validation; here it only must not loop.
    if (!definition || open.has(name)) return NOTHING;
    open.add(name);
    const shape = selections(definition.selectionSet);
    open.delete(name);
    measured.set(name, shape);
    return shape;
  };
  const selections = (selectionSet: SelectionSetNode): OperationShape => {
    const total = { ...NOTHING };
    for (const selection of selectionSet.selections) {
      let part: OperationShape;
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value.startsWith('__')) continue;
        const below = selection.selectionSet ? selections(selection.selectionSet) : NOTHING;
        part = { depth: below.depth + 1, fields: below.fields + 1, aliases: below.aliases + (selection.alias ? 1 : 0) };
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        part = selections(selection.selectionSet);
      } else {
        part = fragment(selection.name.value);
      }
      total.depth = Math.max(total.depth, part.depth);
      total.fields += part.fields;
      total.aliases += part.aliases;
    }
    return total;
  };
  return selections(operation.selectionSet);
}

/**
 * What one page costs beyond its items: a database round trip of its own for each time it is asked for (pages
 * are not batched across aliases or parents), which many cheap aliased pages would otherwise hide.
 */
export const PAGE_FETCH_COST = 50;

/**
 * A list with a page size (`first` or `last`) costs a fetch plus its page size times its items' cost: that is what
 * the server does; a connection given neither costs its default page. `nodes(ids:)` costs its ids' count times
 * theirs. Sizes over the maximum count as the maximum, so that such a query gets the precise page-size error from
 * its resolver.
 */
function pageEstimator(maxPageSize: number): ComplexityEstimator {
  return ({ args, field, childComplexity }) => {
    const size = [args.first, args.last].find((value) => typeof value === 'number' && Number.isFinite(value));
    if (typeof size === 'number' && size > 0) {
      return PAGE_FETCH_COST + childComplexity * Math.min(size, maxPageSize);
    }
    if (Array.isArray(args.ids)) return PAGE_FETCH_COST + childComplexity * Math.min(args.ids.length, maxPageSize);
    if (getNamedType(field.type).name.endsWith('Connection')) {
      return PAGE_FETCH_COST + childComplexity * DEFAULT_PAGE_SIZE;
    }
    return undefined;
  };
}

/**
 * Refuses operations deeper, costlier or with more aliases than the limits, before anything runs. Errors carry
 * code QUERY_TOO_COMPLEX and say the measured value and the limit.
 */
export function checkQueryCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
  limits: Limits & { maxAliases: number },
): void {
  const { depth, fields, aliases } = measureOperation(document, operation);
  if (depth > limits.maxQueryDepth) {
    throw new QueryTooComplexError(`query is ${depth} levels deep; the limit is ${limits.maxQueryDepth}`, {
      depth,
      maxDepth: limits.maxQueryDepth,
    });
  }
  if (aliases > limits.maxAliases) {
    throw new QueryTooComplexError(`query has ${aliases} aliased fields; the limit is ${limits.maxAliases}`, {
      aliases,
      maxAliases: limits.maxAliases,
    });
  }
  // Every field costs at least 1, and the estimate below visits every field of the expanded operation.
  if (fields > limits.maxQueryComplexity) throw tooComplex(`at least ${fields}`, limits.maxQueryComplexity);
  let complexity: number;
  try {
    complexity = getComplexity({
      schema,
      query: {
        ...document,
        definitions: [operation, ...document.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION)],
      },
      variables: variables ?? {},
      estimators: [pageEstimator(limits.maxPageSize), simpleEstimator({ defaultComplexity: 1 })],
    });
  } catch (error) {
    // Bad variables and the like: execution reports them precisely, so let it.
    if (error instanceof GraphQLError) return;
    throw error;
  }
  if (complexity > limits.maxQueryComplexity) throw tooComplex(String(complexity), limits.maxQueryComplexity);
}

function tooComplex(complexity: string, maxComplexity: number): QueryTooComplexError {
  return new QueryTooComplexError(
    `query complexity is ${complexity}; the limit is ${maxComplexity} (ask for smaller pages or fewer fields)`,
    { maxComplexity },
  );
}
