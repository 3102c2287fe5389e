import type { DocumentNode, GraphQLSchema, OperationDefinitionNode } from 'graphql';

import type { Authentication } from '../auth/viewer';
import type { Limits } from '../config';
import { checkQueryCost } from './limits';
import { PermissionGate } from './permissions';

/** An operation as a transport received it: the parsed document, the operation to run and what came with it. */
export interface GuardedOperation {
  document: DocumentNode;
  operation: OperationDefinitionNode;
  /** The document's text, by which checks already made are remembered; absent, nothing is remembered. */
  query: string | null | undefined;
  operationName: string | null | undefined;
  variables: Record<string, unknown> | null | undefined;
}

/**
 * What every operation must pass before anything runs, over HTTP and over graphql-ws alike: every field it asks
 * for against the credentials (PermissionGate), then its depth and complexity. A new limit belongs here, so
 * that both transports apply it. Checks are remembered by document text: clients send the same few over and
 * over.
 */
export class OperationGuard {
  readonly #gate: PermissionGate;
  readonly #measured = new Set<string>();

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly limits: Limits,
  ) {
    this.#gate = new PermissionGate(schema);
  }

  /** Throws UNAUTHENTICATED, FORBIDDEN or QUERY_TOO_COMPLEX; returns when the operation may run. */
  check(auth: Authentication, request: GuardedOperation): void {
    const { document, operation, query, operationName, variables } = request;
    const documentKey = query ? `${operationName ?? ''}\0${query}` : null;
    this.#gate.check(auth, document, operation, documentKey);
    // The cost of a page depends on its size, which variables may give.
    const costKey = documentKey === null ? null : `${JSON.stringify(variables ?? {})}\0${documentKey}`;
    if (costKey !== null && this.#measured.has(costKey)) return;
    checkQueryCost(this.schema, document, operation, variables ?? undefined, this.limits);
    if (costKey === null) return;
    if (this.#measured.size >= 1000) this.#measured.delete(this.#measured.keys().next().value!);
    this.#measured.add(costKey);
  }
}
