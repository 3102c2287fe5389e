import {
  getNamedType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { Extensions } from 'type-graphql';

import { allows, type Authentication, type Permission, type Viewer } from '../auth/viewer';
import { ForbiddenError, UnauthenticatedError } from './errors';

/** What a field needs: permissions that must all hold, or PUBLIC (anyone, signed in or not: login, logout). */
export type Requirement = Permission | 'PUBLIC';

const KEY = 'requires';

/**
 * Declares what a query, mutation, subscription or field needs. Fields without it need READ (any signed-in
 * user or API key); every mutation must say what it needs, which checkDeclarations enforces at start-up.
 */
export function Requires(...requirements: Requirement[]): MethodDecorator & PropertyDecorator {
  return Extensions({ [KEY]: requirements });
}

function requirementsOf(type: GraphQLObjectType, field: string): Requirement[] {
  return (type.getFields()[field]?.extensions?.[KEY] as Requirement[] | undefined) ?? ['READ'];
}

/** Refuses to build a schema with a mutation that does not say who may call it. */
export function checkDeclarations(schema: GraphQLSchema): GraphQLSchema {
  const mutation = schema.getMutationType();
  for (const field of Object.values(mutation?.getFields() ?? {})) {
    if (!field.extensions?.[KEY]) throw new Error(`mutation ${field.name} does not declare what it needs (@Requires)`);
  }
  return schema;
}

/**
 * Every permission the fields of an operation need: the operation walked field by field, each fragment once
 * (a fragment needs the same wherever it is spread, and spreads of spreads would otherwise multiply the walk).
 * The subtree of a PUBLIC field is its resolver's business (login answers with the user it just signed in),
 * so it is not walked.
 */
export function operationRequirements(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
): Set<Permission> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const needed = new Set<Permission>();
  const root =
    operation.operation === 'query'
      ? schema.getQueryType()
      : operation.operation === 'mutation'
        ? schema.getMutationType()
        : schema.getSubscriptionType();
  const walked = new Set<string>();
  const walk = (type: GraphQLObjectType, selectionSet: SelectionSetNode): void => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        if (name.startsWith('__')) continue;
        const requirements = requirementsOf(type, name);
        if (requirements.includes('PUBLIC')) continue;
        for (const requirement of requirements) needed.add(requirement as Permission);
        const fieldType = type.getFields()[name] && getNamedType(type.getFields()[name]!.type);
        if (selection.selectionSet && fieldType && isObjectType(fieldType)) walk(fieldType, selection.selectionSet);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : type;
        if (condition && isObjectType(condition)) walk(condition, selection.selectionSet);
      } else {
        const fragment = fragments.get(selection.name.value);
        if (!fragment || walked.has(fragment.name.value)) continue;
        walked.add(fragment.name.value);
        const condition = schema.getType(fragment.typeCondition.name.value);
        if (condition && isObjectType(condition)) walk(condition, fragment.selectionSet);
      }
    }
  };
  if (root) walk(root, operation.selectionSet);
  return needed;
}

const DENIED: Record<Permission, string> = {
  READ: 'Reading needs a signed-in user or an API key',
  ANNOTATE: 'Only annotators and admins (with a session or a WRITE key) can do this',
  ADMIN: 'Only admins (with a session or a WRITE key) can do this',
  SESSION: 'This needs a signed-in session, not an API key',
};

/** Throws UNAUTHENTICATED or FORBIDDEN unless the request may do what `permissions` all ask for. */
export function requirePermissions(authentication: Authentication, permissions: readonly Permission[]): Viewer {
  const { viewer } = authentication;
  if (!viewer) throw new UnauthenticatedError(authentication.problem ?? undefined);
  const missing = permissions.find((permission) => !allows(viewer, permission));
  if (missing) throw new ForbiddenError(DENIED[missing]);
  return viewer;
}

/** Whether the request's credentials allow a field (a root field's rules reused elsewhere, e.g. by node(id:)). */
export function fieldAllows(
  authentication: Authentication,
  type: GraphQLObjectType | null | undefined,
  field: string,
): boolean {
  const { viewer } = authentication;
  if (!type || !viewer) return false;
  return requirementsOf(type, field).every((requirement) => requirement === 'PUBLIC' || allows(viewer, requirement));
}

/**
 * Checks every field an operation asks for against the request's credentials before anything runs:
 * UNAUTHENTICATED for missing or bad credentials, FORBIDDEN for a role or scope too low; either way the
 * operation does not run, so no part of an answer leaks. What a document needs is computed once and
 * remembered (clients send the same few documents).
 */
export class PermissionGate {
  readonly #cache = new Map<string, Permission[]>();

  constructor(private readonly schema: GraphQLSchema) {}

  check(
    auth: Authentication,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    cacheKey: string | null,
  ): void {
    let needed = cacheKey === null ? undefined : this.#cache.get(cacheKey);
    if (!needed) {
      needed = [...operationRequirements(this.schema, document, operation)];
      if (cacheKey !== null) {
        if (this.#cache.size >= 1000) this.#cache.delete(this.#cache.keys().next().value!);
        this.#cache.set(cacheKey, needed);
      }
    }
    if (needed.length > 0) requirePermissions(auth, needed);
  }
}
