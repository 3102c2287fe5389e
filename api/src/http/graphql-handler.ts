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
import { DomainError, PayloadTooLargeError, withHttpStatus } from '../graphql/errors';
import type { OperationGuard } from '../graphql/operation-guard';
import type { Services } from '../services';
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

/**
 * Shapes every error the API returns: known codes pass; anything else is logged and, in production, reduced to
 * "Internal server error" (no stack, no SQL, no paths). Used by HTTP and by subscriptions.
 */
export function formatError(production: boolean, log: Log) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const code = String(formatted.extensions?.code ?? '');
    if (original instanceof DomainError || CLIENT_CODES.has(code)) return formatted;
    log(`internal error: ${original instanceof Error ? (original.stack ?? original.message) : String(original)}`);
    if (!production) return formatted;
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
      };
    },
  };
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
): Promise<GraphqlHandler> {
  const { production, limits } = services.config;
  const apollo = new ApolloServer<Context>({
    gateway: jitExecution(schema),
    // No HTTP cache hints (every answer depends on credentials): without the cache-control plugin, Apollo
    // no longer wraps every field resolver, which a page of 100 results feels.
    plugins: [guardPlugin(guard), ApolloServerPluginLandingPageDisabled(), ApolloServerPluginCacheControlDisabled()],
    formatError: formatError(production, log),
    includeStacktraceInErrorResponses: !production,
    // The schema is a published contract (api/schema.graphql); introspection lets tools read it live.
    introspection: true,
  });
  await apollo.start();

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    let body: unknown = undefined;
    if (request.method === 'POST') {
      let raw: Buffer;
      try {
        raw = await readBody(request, limits.maxGraphqlBodyBytes);
      } catch (error) {
        if (error instanceof PayloadTooLargeError) {
          response.setHeader('connection', 'close');
          return sendError(response, 413, 'PAYLOAD_TOO_LARGE', error.message);
        }
        throw error;
      }
      const type = request.headers['content-type'] ?? '';
      if (type.includes('application/json')) {
        try {
          body = raw.length === 0 ? {} : JSON.parse(raw.toString('utf8'));
        } catch {
          return sendError(response, 400, 'BAD_REQUEST', 'The request body is not valid JSON');
        }
      } else {
        body = raw.toString('utf8');
      }
    }
    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(request.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    const url = new URL(request.url ?? '/', 'http://localhost');
    const cookies: string[] = [];
    const result = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: request.method ?? 'GET', headers, search: url.search, body },
      context: async () => {
        const auth = await services.sessions.authenticate({
          cookieToken: readCookie(request.headers.cookie, SESSION_COOKIE),
          authorization: request.headers.authorization,
        });
        return createContext(services, auth, { setCookie: (cookie) => cookies.push(cookie) });
      },
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
