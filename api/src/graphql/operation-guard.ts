import type { DocumentNode, GraphQLSchema, OperationDefinitionNode } from 'graphql';

import type { Authentication } from '../auth/viewer';
import type { Limits } from '../config';
import { checkQueryCost } from './limits';
import { PermissionGate } from './permissions';
import { checkOperationSource, requestLimitsFor, type OperationSource, type RequestLimits } from './request-limits';

/** An operation as a transport received it: the parsed document, the operation to run and what came with it. */
export interface GuardedOperation {
  document: DocumentNode;
  operation: OperationDefinitionNode;
  /** The document's text, by which checks already made are remembered; absent, nothing is remembered. */
  query: string | null | undefined;
  operationName: string | null | undefined;
  variables: Record<string, unknown> | null | undefined;
}

/** Remembers up to 1000 keys, forgetting the oldest. */
class Remembered {
  readonly #keys = new Set<string>();

  has(key: string): boolean {
    return this.#keys.has(key);
  }

  add(key: string): void {
    if (this.#keys.size >= 1000) this.#keys.delete(this.#keys.keys().next().value!);
    this.#keys.add(key);
  }
}

/**
 * What every operation must pass, over HTTP and over graphql-ws alike: before parsing, the size of its text and
 * variables (checkSource, with far smaller limits without credentials); once parsed, every field it asks for
 * against the credentials (PermissionGate), then its depth, aliases and complexity (check). A new limit belongs
 * here, so that both transports apply it. Checks are remembered by document text: clients send the same few over
 * and over.
 */
export class OperationGuard {
  readonly #gate: PermissionGate;
  readonly #measured = new Remembered();
  readonly #sized = new Remembered();

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly limits: Limits,
  ) {
    this.#gate = new PermissionGate(schema);
  }

  /** The size limits of a request with these credentials. */
  limitsFor(auth: Authentication): RequestLimits {
    return requestLimitsFor(auth, this.limits);
  }

  /** Throws PAYLOAD_TOO_LARGE or QUERY_TOO_COMPLEX when the operation's text or variables are over the limits. */
  checkSource(auth: Authentication, source: OperationSource): void {
    const anonymous = !auth.viewer;
    // Variables differ from request to request; a text already counted need not be lexed again.
    const key = typeof source.query === 'string' ? `${anonymous ? 'a' : 's'}\0${source.query}` : null;
    const known = key !== null && this.#sized.has(key);
    checkOperationSource(
      known ? { query: null, variables: source.variables } : source,
      this.limitsFor(auth),
      anonymous,
    );
    if (key !== null && !known) this.#sized.add(key);
  }

  /** Throws UNAUTHENTICATED, FORBIDDEN or QUERY_TOO_COMPLEX; returns when the operation may run. */
  check(auth: Authentication, request: GuardedOperation): void {
    const { document, operation, query, operationName, variables } = request;
    const documentKey = query ? `${operationName ?? ''}\0${query}` : null;
    this.#gate.check(auth, document, operation, documentKey);
    const costKey = this.#costKey(auth, request, documentKey);
    if (costKey !== null && this.#measured.has(costKey)) return;
    const { maxAliases } = this.limitsFor(auth);
    checkQueryCost(this.schema, document, operation, variables ?? undefined, { ...this.limits, maxAliases });
    if (costKey !== null) this.#measured.add(costKey);
  }

  /**
   * The cost of a page depends on its size, which variables may give, and the alias limit on the credentials.
   * Mutations are not remembered: each carries new values (a mask's PNG), which must not be kept as keys.
   */
  #costKey(auth: Authentication, request: GuardedOperation, documentKey: string | null): string | null {
    if (documentKey === null || request.operation.operation === 'mutation') return null;
    const variables = JSON.stringify(request.variables ?? {});
    if (variables.length > 4096) return null;
    return `${auth.viewer ? 's' : 'a'}\0${variables}\0${documentKey}`;
  }
}
