import type { IncomingMessage, ServerResponse } from 'node:http';

import { ApolloServer, HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import { getVariableValues } from 'graphql/execution/values';

import { readCookie, SESSION_COOKIE } from '../auth/cookies';
import { createContext, type Context } from '../graphql/context';
import { DomainError, withHttpStatus } from '../graphql/errors';
import type { OperationGuard } from '../graphql/operation-guard';
import { countJsonEntries, tooManyJsonEntries, type RequestLimits } from '../graphql/request-limits';
import { withoutServerPaths } from '../graphql/server-paths';
import type { Services } from '../services';
import { clientAddress } from './client-address';
import { publicOrigin } from './public-origin';
import { jitExecution } from './jit-executor';
import { readBody, sendError } from './respond';

export type Log = (line: string) => void;

/** The codes that are part of the contract; anything else is an internal fault and is masked in production. */
const CLIENT_CODES = new Set([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'BAD_USER_INPUT',
  'CONFLICT',
  'FAILED_PRECONDITION',
  'QUERY_TOO_COMPLEX',
  'PAYLOAD_TOO_LARGE',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

/** How much of an internal fault an answer may show: all of it in development, its message elsewhere, nothing in production. */
export interface ErrorDisclosure {
  production: boolean;
  /** NODE_ENV=development: stack traces and server paths in answers. */
  development: boolean;
}

/**
 * Shapes every error the API returns: known codes pass; anything else is logged and, in production, reduced to
 * "Internal server error" (no stack, no SQL, no paths); outside development, messages lose their server paths
 * (stack traces are left out by Apollo's includeStacktraceInErrorResponses). Used by HTTP and by subscriptions.
 */
export function formatError({ production, development }: ErrorDisclosure, log: Log) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const code = String(formatted.extensions?.code ?? '');
    if (original instanceof DomainError || CLIENT_CODES.has(code)) return formatted;
    log(`internal error: ${original instanceof Error ? (original.stack ?? original.message) : String(original)}`);
    if (development) return formatted;
    if (!production) return { ...formatted, message: withoutServerPaths(formatted.message) };
    return {
      message: 'Internal server error',
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
  };
}

const REFUSAL_STATUS: Record<string, number> = { UNAUTHENTICATED: 401, FORBIDDEN: 403 };

/** The OperationGuard on each operation Apollo has parsed and validated; its refusals get their HTTP status. */
function guardPlugin(guard: OperationGuard): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request, contextValue }) {
          if (!operation) return;
          // Variables are coerced here, as graphql-js would before executing: the compiled executor gets
          // only valid ones, and a bad one is a 400 naming the variable.
          const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], request.variables ?? {}, {
            maxErrors: 10,
          });
          if (coerced.errors) {
            const [first] = coerced.errors;
            throw new GraphQLError(first!.message, {
              nodes: first!.nodes ?? null,
              extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } },
            });
          }
          try {
            const { query, operationName, variables } = request;
            guard.check(contextValue.auth, { document, operation, query, operationName, variables });
          } catch (error) {
            if (error instanceof DomainError && REFUSAL_STATUS[error.code]) {
              throw withHttpStatus(error, REFUSAL_STATUS[error.code]!);
            }
            throw error;
          }
        },
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          const { data, errors } = response.body.singleResult;
          // A request refused as a whole for its credentials in a resolver (a failed sign-in: login's answer is
          // non-null, so data is null) gets the 401 the README documents, as a refusal by the guard does.
          if (data == null && errors?.length && errors.every((e) => e.extensions?.code === 'UNAUTHENTICATED')) {
            response.http.status = 401;
          }
        },
      };
    },
  };
}

/** Refusals made before anything is parsed, with their HTTP status. */
const REFUSED_BEFORE_PARSING: Partial<Record<string, number>> = { PAYLOAD_TOO_LARGE: 413, QUERY_TOO_COMPLEX: 400 };

/**
 * Reads a POST body within the request's limits: its size, then its number of keys and list items, counted
 * before JSON.parse (which takes seconds over a million keys). A JSON body is answered parsed (a SyntaxError
 * when it is not JSON), any other as text.
 */
async function readGraphqlBody(request: IncomingMessage, limits: RequestLimits, anonymous: boolean): Promise<unknown> {
  const raw = await readBody(request, limits.maxBodyBytes);
  const text = raw.toString('utf8');
  if (!(request.headers['content-type'] ?? '').includes('application/json')) return text;
  if (countJsonEntries(text, limits.maxJsonEntries) > limits.maxJsonEntries) {
    throw tooManyJsonEntries(limits.maxJsonEntries, anonymous);
  }
  return text.length === 0 ? {} : (JSON.parse(text) as unknown);
}

export interface GraphqlHandler {
  apollo: ApolloServer<Context>;
  handle(request: IncomingMessage, response: ServerResponse): Promise<void>;
}

export async function createGraphqlHandler(
  schema: GraphQLSchema,
  guard: OperationGuard,
  services: Services,
  log: Log,
  disclosure: ErrorDisclosure,
): Promise<GraphqlHandler> {
  const apollo = new ApolloServer<Context>({
    gateway: jitExecution(schema),
    // No HTTP cache hints (every answer depends on credentials): without the cache-control plugin, Apollo
    // no longer wraps every field resolver, which a page of 100 results feels.
    plugins: [guardPlugin(guard), ApolloServerPluginLandingPageDisabled(), ApolloServerPluginCacheControlDisabled()],
    formatError: formatError(disclosure, log),
    includeStacktraceInErrorResponses: disclosure.development,
    // The schema is a published contract (api/schema.graphql); introspection lets tools read it live.
    introspection: true,
  });
  await apollo.start();

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    // Credentials first: they decide how much of the request is read and parsed at all.
    const auth = await services.sessions.authenticate({
      cookieToken: readCookie(request.headers.cookie, SESSION_COOKIE),
      authorization: request.headers.authorization,
    });
    const requestLimits = guard.limitsFor(auth);
    const url = new URL(request.url ?? '/', 'http://localhost');
    let body: unknown = undefined;
    try {
      if (request.method === 'POST') body = await readGraphqlBody(request, requestLimits, !auth.viewer);
      const source = request.method === 'POST' ? (body as Record<string, unknown> | undefined) : undefined;
      guard.checkSource(
        auth,
        source && typeof source === 'object'
          ? { query: source.query, variables: source.variables }
          : { query: url.searchParams.get('query'), variables: url.searchParams.get('variables') },
      );
    } catch (error) {
      if (error instanceof SyntaxError)
        return sendError(response, 400, 'BAD_REQUEST', 'The request body is not valid JSON');
      if (!(error instanceof DomainError) || !REFUSED_BEFORE_PARSING[error.code]) throw error;
      // A body refused before it was read whole: the rest is not worth reading.
      if (!request.complete) response.setHeader('connection', 'close');
      return sendError(response, REFUSED_BEFORE_PARSING[error.code]!, error.code, error.message);
    }
    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(request.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    const cookies: string[] = [];
    const result = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: request.method ?? 'GET', headers, search: url.search, body },
      context: async () =>
        createContext(
          services,
          auth,
          { setCookie: (cookie) => cookies.push(cookie) },
          clientAddress(request, services.config.trustedProxies),
          publicOrigin(request, services.config),
        ),
    });
    for (const [name, value] of result.headers) response.setHeader(name, value);
    if (cookies.length > 0) response.setHeader('set-cookie', cookies);
    response.statusCode = result.status ?? 200;
    if (result.body.kind === 'complete') {
      // A known length lets Node send headers and body in one write instead of chunked pieces.
      const body = Buffer.from(result.body.string, 'utf8');
      response.setHeader('content-length', body.length);
      response.end(body);
      return;
    }
    for await (const chunk of result.body.asyncIterator) response.write(chunk);
    response.end();
  }

  return { apollo, handle };
}
