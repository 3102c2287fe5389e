import { GraphQLError } from 'graphql';

/**
 * Domain errors. Clients branch on `extensions.code`, which is part of the API contract (api/README.md lists
 * them); messages are for people and may change.
 */
export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'BAD_USER_INPUT'
  | 'CONFLICT'
  | 'FAILED_PRECONDITION'
  | 'QUERY_TOO_COMPLEX'
  | 'PAYLOAD_TOO_LARGE'
  | 'TOO_MANY_ATTEMPTS'
  | 'SELF_REVIEW_FORBIDDEN'
  | 'INTERNAL_SERVER_ERROR';

export abstract class DomainError extends GraphQLError {
  abstract readonly code: ErrorCode;

  protected constructor(message: string, code: ErrorCode, extensions: Record<string, unknown> = {}) {
    super(message, { extensions: { ...extensions, code } });
  }
}

/** No credentials, or credentials that prove nothing (bad password, unknown or revoked key, expired session). */
export class UnauthenticatedError extends DomainError {
  readonly code = 'UNAUTHENTICATED';
  constructor(message = 'Sign in or send an API key (Authorization: Bearer <key>)') {
    super(message, 'UNAUTHENTICATED');
  }
}

/** Valid credentials whose role or scope does not allow the operation. */
export class ForbiddenError extends DomainError {
  readonly code = 'FORBIDDEN';
  constructor(message = 'Your role does not allow this') {
    super(message, 'FORBIDDEN');
  }
}

export class NotFoundError extends DomainError {
  readonly code = 'NOT_FOUND';
  constructor(what: string, id: string) {
    super(`${what} ${id} does not exist`, 'NOT_FOUND', { id });
  }
}

/** Bad input; `field` names the argument or input field at fault when there is one. */
export class BadInputError extends DomainError {
  readonly code = 'BAD_USER_INPUT';
  constructor(message: string, field?: string) {
    super(message, 'BAD_USER_INPUT', field === undefined ? {} : { field });
  }
}

/** The write was based on a state that has since changed; nothing was written. */
export class ConflictError extends DomainError {
  readonly code = 'CONFLICT';
  constructor(message: string, extensions: Record<string, unknown> = {}) {
    super(message, 'CONFLICT', extensions);
  }
}

/** The operation does not apply to the object's current state (cancel a finished run, review a draft...). */
export class FailedPreconditionError extends DomainError {
  readonly code = 'FAILED_PRECONDITION';
  constructor(message: string, extensions: Record<string, unknown> = {}) {
    super(message, 'FAILED_PRECONDITION', extensions);
  }
}

/**
 * A reviewer approving or rejecting their own mask while the workspace setting `allowSelfReview` is off: a mask
 * needs a second pair of eyes. Its own code, since the reviewer's role does allow reviews.
 */
export class SelfReviewForbiddenError extends DomainError {
  readonly code = 'SELF_REVIEW_FORBIDDEN';
  constructor(maskId: string) {
    super(
      `mask ${maskId} is your own: another reviewer must approve or reject it (an admin can allow self-review in the workspace settings)`,
      'SELF_REVIEW_FORBIDDEN',
      { maskId },
    );
  }
}

export class QueryTooComplexError extends DomainError {
  readonly code = 'QUERY_TOO_COMPLEX';
  constructor(message: string, extensions: Record<string, unknown> = {}) {
    // Refused before execution, like a validation error: HTTP 400 (Apollo strips `http` from the answer).
    super(message, 'QUERY_TOO_COMPLEX', { ...extensions, http: { status: 400 } });
  }
}

export class PayloadTooLargeError extends DomainError {
  readonly code = 'PAYLOAD_TOO_LARGE';
  constructor(message: string) {
    super(message, 'PAYLOAD_TOO_LARGE');
  }
}

/** The same error with an HTTP status, for refusals made before execution (Apollo strips `http` from answers). */
export function withHttpStatus(error: GraphQLError, status: number): GraphQLError {
  return new GraphQLError(error.message, { extensions: { ...error.extensions, http: { status } } });
}
