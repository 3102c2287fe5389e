import type http from 'node:http';

import {
  createSourceEventStream,
  execute,
  GraphQLError,
  Kind,
  parse,
  specifiedRules,
  validate,
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLFormattedError,
  type GraphQLSchema,
} from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';

import { readCookie, SESSION_COOKIE } from '../auth/cookies';
import type { Authentication } from '../auth/viewer';
import { createContext, type Context } from '../graphql/context';
import type { OperationGuard } from '../graphql/operation-guard';
import type { Services } from '../services';
import { clientAddress } from './client-address';
import { publicOrigin } from './public-origin';
import { formatError, type ErrorDisclosure, type Log } from './graphql-handler';
import { socketOriginAllowed } from './origins';

export interface SubscriptionServer {
  close(): Promise<void>;
}

/**
 * Largest WebSocket message: subscriptions are small documents (masks are saved over HTTP), and graphql-ws
 * parses each message whole before anything can look at it.
 */
export const MAX_SOCKET_MESSAGE_BYTES = 256 * 1024;

/**
 * graphql-js's subscribe, except that each event is executed with a context of its own. A context's DataLoaders
 * keep what they have read, and a subscription lives long: with one context for all its events, every event
 * answered what the first had read (a run's evaluations stayed QUEUED after they had finished).
 */
async function subscribeWithFreshContexts(
  args: ExecutionArgs,
  services: Services,
): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
  const stream = await createSourceEventStream(args);
  if (!(Symbol.asyncIterator in stream)) return stream;
  const source = stream[Symbol.asyncIterator]();
  const { auth, response, clientAddress, publicOrigin: origin } = args.contextValue as Context;
  const run = (payload: unknown) =>
    execute({
      ...args,
      rootValue: payload,
      contextValue: createContext(services, auth, response, clientAddress, origin),
    });
  const events: AsyncIterableIterator<ExecutionResult> = {
    next: async () => {
      const event = await source.next();
      return event.done ? event : { done: false, value: await run(event.value) };
    },
    // Called when the client unsubscribes: the source stops listening at once, even while it waits.
    return: async () => {
      await source.return?.();
      return { done: true, value: undefined };
    },
    throw: async (error: unknown) => {
      await source.return?.();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
  return events;
}

/**
 * graphql-ws on /graphql of `server`. Upgrades from pages of other sites are refused (http/origins.ts). A
 * connection authenticates once, with the cookie of its upgrade request or `connectionParams.authorization`;
 * each operation passes the same OperationGuard as HTTP operations: its size before it is parsed, then, parsed
 * and validated here (Apollo does it for HTTP), its fields and cost.
 */
export function createSubscriptionServer(
  server: http.Server,
  schema: GraphQLSchema,
  guard: OperationGuard,
  services: Services,
  log: Log,
  disclosure: ErrorDisclosure,
): SubscriptionServer {
  const sockets = new WebSocketServer({
    server,
    path: '/graphql',
    maxPayload: MAX_SOCKET_MESSAGE_BYTES,
    // Refused before the handshake: a page of another site never gets a socket carrying the user's cookie.
    verifyClient: ({ req }, done) => {
      if (socketOriginAllowed(req, services.config)) return done(true);
      done(false, 403, 'Origin not allowed: set VAD_WEB_ORIGINS or VAD_CORS_ORIGINS to let this site in');
    },
  });
  const format = formatError(disclosure, log);
  // `http` only tells the HTTP transport which status to answer.
  const shapeError = (error: GraphQLError): GraphQLFormattedError => {
    const { http: _http, ...extensions } = error.extensions ?? {};
    return format({ ...error.toJSON(), extensions }, error);
  };
  const subscriptions = useServer<Record<string, unknown> | undefined, { auth: Authentication }>(
    {
      schema,
      subscribe: (args) => subscribeWithFreshContexts(args, services),
      onConnect: async (ctx) => {
        const fromParams = ctx.connectionParams?.authorization;
        ctx.extra.auth = await services.sessions.authenticate({
          cookieToken: readCookie(ctx.extra.request.headers.cookie, SESSION_COOKIE),
          authorization: typeof fromParams === 'string' ? fromParams : ctx.extra.request.headers.authorization,
        });
        return true;
      },
      onSubscribe: (ctx, _id, payload): ExecutionArgs | readonly GraphQLError[] => {
        const auth = ctx.extra.auth ?? { viewer: null, problem: null };
        let document;
        try {
          guard.checkSource(auth, payload);
          document = parse(payload.query, { maxTokens: guard.limitsFor(auth).maxQueryTokens });
        } catch (error) {
          return [error as GraphQLError];
        }
        const errors = validate(schema, document, specifiedRules);
        if (errors.length > 0) return errors;
        const operation = document.definitions.find(
          (definition) =>
            definition.kind === Kind.OPERATION_DEFINITION &&
            (payload.operationName == null || definition.name?.value === payload.operationName),
        );
        if (!operation || operation.kind !== Kind.OPERATION_DEFINITION) {
          return [new GraphQLError('No operation to run in the document')];
        }
        const { query, operationName, variables } = payload;
        try {
          guard.check(auth, { document, operation, query, operationName, variables });
        } catch (error) {
          return [error as GraphQLError];
        }
        return {
          schema,
          document,
          operationName: operationName ?? null,
          variableValues: variables ?? null,
          contextValue: createContext(
            services,
            auth,
            { setCookie: () => {} },
            clientAddress(ctx.extra.request, services.config.trustedProxies),
            publicOrigin(ctx.extra.request, services.config),
          ),
        };
      },
      onNext: (_ctx, _id, _payload, _args, result) => {
        if (!result.errors) return;
        return { ...result, errors: result.errors.map(shapeError) };
      },
      onError: (_ctx, _id, _payload, errors) => errors.map(shapeError),
    },
    sockets,
  );
  return {
    close: async () => {
      await subscriptions.dispose();
      sockets.close();
    },
  };
}
