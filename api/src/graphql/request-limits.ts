import { Lexer, Source, TokenKind, GraphQLError } from 'graphql';

import type { Authentication } from '../auth/viewer';
import type { Limits } from '../config';
import { PayloadTooLargeError, QueryTooComplexError } from './errors';

/**
 * How big a request may be before any of it is parsed. Requests without valid credentials only need login-sized
 * operations, so they get far smaller limits: what an anonymous client sends cannot cost the server more than a
 * few milliseconds to refuse.
 */
export interface RequestLimits {
  /** The HTTP body of POST /graphql. */
  maxBodyBytes: number;
  /** The query document's text. */
  maxQueryBytes: number;
  /** The query document's tokens (names, punctuation, values): what parsing and validation cost grows with. */
  maxQueryTokens: number;
  /** The variables, as JSON. */
  maxVariablesBytes: number;
  /** Keys and list items in the variables, nested ones included (HTTP: in the whole body). */
  maxJsonEntries: number;
  /** Aliased fields in an operation (the same field asked for many times under different names). */
  maxAliases: number;
}

/** What a signed-in user or an API key may send; the body limit is the configured one (a mask is sent in it). */
function signedInLimits(limits: Limits): RequestLimits {
  return {
    maxBodyBytes: limits.maxGraphqlBodyBytes,
    maxQueryBytes: 64 * 1024,
    maxQueryTokens: 3000,
    maxVariablesBytes: limits.maxGraphqlBodyBytes,
    maxJsonEntries: 10_000,
    maxAliases: 50,
  };
}

/** What a request without valid credentials may send: a login, a logout, `me`, the introspection query. */
export const ANONYMOUS_LIMITS: RequestLimits = {
  maxBodyBytes: 16 * 1024,
  maxQueryBytes: 8 * 1024,
  maxQueryTokens: 500,
  maxVariablesBytes: 4 * 1024,
  maxJsonEntries: 100,
  maxAliases: 5,
};

export function requestLimitsFor(auth: Authentication, limits: Limits): RequestLimits {
  return auth.viewer ? signedInLimits(limits) : ANONYMOUS_LIMITS;
}

function anonymousHint(anonymous: boolean): string {
  return anonymous ? ' for requests without credentials' : '';
}

/**
 * Counts the keys and list items of a JSON text without parsing it (a ':' or ',' outside strings is one more),
 * stopping once over `max`: JSON.parse of an object with a million keys takes seconds, this scan milliseconds.
 */
export function countJsonEntries(text: string, max: number): number {
  let count = 0;
  let inString = false;
  for (let i = 0; i < text.length && count <= max; i++) {
    const code = text.charCodeAt(i);
    if (inString) {
      if (code === 92 /* \ */) i++;
      else if (code === 34 /* " */) inString = false;
    } else if (code === 34) inString = true;
    else if (code === 58 /* : */ || code === 44 /* , */) count++;
  }
  return count;
}

export function tooManyJsonEntries(max: number, anonymous: boolean): PayloadTooLargeError {
  return new PayloadTooLargeError(
    `the request has more than ${max} keys and list items; the limit is ${max}${anonymousHint(anonymous)}`,
  );
}

/** Size of parsed variables as JSON, counting keys and items on the way; stops once over either limit. */
function measureVariables(value: unknown, limits: RequestLimits): { bytes: number; entries: number } {
  const size = { bytes: 0, entries: 0 };
  const over = () => size.bytes > limits.maxVariablesBytes || size.entries > limits.maxJsonEntries;
  const visit = (item: unknown): void => {
    if (over()) return;
    if (typeof item === 'string') size.bytes += item.length + 2;
    else if (Array.isArray(item)) {
      size.entries += item.length;
      size.bytes += 2 + item.length;
      for (const element of item) visit(element);
    } else if (item !== null && typeof item === 'object') {
      const keys = Object.keys(item);
      size.entries += keys.length;
      size.bytes += 2;
      for (const key of keys) {
        size.bytes += key.length + 4;
        visit((item as Record<string, unknown>)[key]);
      }
    } else size.bytes += String(item).length;
  };
  visit(value);
  return size;
}

/** Tokens of a document, counting stops once over `max`; a syntax error is left for the parser to report. */
function countTokens(query: string, max: number): number {
  const lexer = new Lexer(new Source(query));
  let count = 0;
  try {
    while (count <= max && lexer.advance().kind !== TokenKind.EOF) count++;
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
  }
  return count;
}

/** An operation as it arrives, before parsing. */
export interface OperationSource {
  query: unknown;
  /** Parsed variables, or their JSON text (GET requests). */
  variables?: unknown;
}

/**
 * Refuses an operation whose text or variables are over `limits`, before anything parses it: PAYLOAD_TOO_LARGE
 * (413) for sizes, QUERY_TOO_COMPLEX (400) for too many tokens.
 */
export function checkOperationSource(source: OperationSource, limits: RequestLimits, anonymous: boolean): void {
  const hint = anonymousHint(anonymous);
  const { query, variables } = source;
  if (typeof query === 'string') {
    if (query.length > limits.maxQueryBytes) {
      throw new PayloadTooLargeError(
        `the query is ${query.length} characters; the limit is ${limits.maxQueryBytes}${hint}`,
      );
    }
    const tokens = countTokens(query, limits.maxQueryTokens);
    if (tokens > limits.maxQueryTokens) {
      throw new QueryTooComplexError(
        `the query has more than ${limits.maxQueryTokens} tokens; the limit is ${limits.maxQueryTokens}${hint}`,
        { maxTokens: limits.maxQueryTokens },
      );
    }
  }
  const size =
    typeof variables === 'string'
      ? { bytes: variables.length, entries: countJsonEntries(variables, limits.maxJsonEntries) }
      : measureVariables(variables, limits);
  if (size.bytes > limits.maxVariablesBytes) {
    throw new PayloadTooLargeError(`the variables are over the limit of ${limits.maxVariablesBytes} bytes${hint}`);
  }
  if (size.entries > limits.maxJsonEntries) throw tooManyJsonEntries(limits.maxJsonEntries, anonymous);
}
