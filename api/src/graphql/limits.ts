import {
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
import { QueryTooComplexError } from './errors';

/** Nesting depth of an operation, fragments expanded; introspection (`__schema`, `__type`) is not counted. */
export function queryDepth(document: DocumentNode, operation: OperationDefinitionNode): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const measure = (selectionSet: SelectionSetNode, depth: number, seen: ReadonlySet<string>): number => {
    let deepest = depth;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value.startsWith('__')) continue;
        const below = selection.selectionSet ? measure(selection.selectionSet, depth + 1, seen) : depth + 1;
        deepest = Math.max(deepest, below);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        deepest = Math.max(deepest, measure(selection.selectionSet, depth, seen));
      } else {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        // A cycle is reported by the standard validation; here it only must not loop.
        if (!fragment || seen.has(name)) continue;
        deepest = Math.max(deepest, measure(fragment.selectionSet, depth, new Set([...seen, name])));
      }
    }
    return deepest;
  };
  return measure(operation.selectionSet, 0, new Set());
}

/**
 * A list with a page size costs its page size times its items' cost: that is what the server does. Sizes over
 * the maximum count as the maximum, so that such a query gets the precise page-size error from its resolver.
 */
function pageEstimator(maxPageSize: number): ComplexityEstimator {
  return ({ args, childComplexity }) => {
    const first: unknown = args.first;
    if (typeof first === 'number' && Number.isFinite(first) && first > 0) {
      return 1 + childComplexity * Math.min(first, maxPageSize);
    }
    return undefined;
  };
}

/**
 * Refuses operations deeper or costlier than the limits, before anything runs. Errors carry code
 * QUERY_TOO_COMPLEX and say the measured value and the limit.
 */
export function checkQueryCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
  limits: Limits,
): void {
  const depth = queryDepth(document, operation);
  if (depth > limits.maxQueryDepth) {
    throw new QueryTooComplexError(`query is ${depth} levels deep; the limit is ${limits.maxQueryDepth}`, {
      depth,
      maxDepth: limits.maxQueryDepth,
    });
  }
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
  if (complexity > limits.maxQueryComplexity) {
    throw new QueryTooComplexError(
      `query complexity is ${complexity}; the limit is ${limits.maxQueryComplexity} (ask for smaller pages or fewer fields)`,
      { complexity, maxComplexity: limits.maxQueryComplexity },
    );
  }
}
