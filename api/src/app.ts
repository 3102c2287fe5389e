import { mkdir } from 'node:fs/promises';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { PrismaClient } from '@prisma/client';
import type { GraphQLSchema } from 'graphql';

import { importRootFor, type Config } from './config';
import { Reads } from './db/reads';
import { checkDatabaseHealth, createPrismaClient } from './db';
import { createEventBus } from './events/pubsub';
import { EventLoopMonitor } from './http/event-loop';
import { createFileRoutes } from './http/file-routes';
import { startQueue } from './jobs/queue';
import { startReaper } from './jobs/reaper';
import { OperationGuard } from './graphql/operation-guard';
import { withoutServerPaths } from './graphql/server-paths';
import { createSchema } from './schema';
import { createGraphqlHandler, type Log } from './http/graphql-handler';
import { applyCors } from './http/origins';
import { sendError, sendJson } from './http/respond';
import { createSubscriptionServer } from './http/subscriptions';
import { createServices, type Services } from './services';

export interface AppOptions {
  config: Config;
  databaseUrl: string;
  log?: Log;
  /** Sees every SQL statement the API's Prisma client sends (query-count tests, benchmarks). */
  onQuery?: (sql: string) => void;
  /** Stack traces and server paths in error answers; by default when NODE_ENV=development. */
  development?: boolean;
}

function isDevelopment(): boolean {
  return process.env.NODE_ENV === 'development';
}

export interface App {
  server: http.Server;
  services: Services;
  schema: GraphQLSchema;
  /** Starts listening (port 0: any free port) and returns the port. */
  listen(port?: number): Promise<number>;
  close(): Promise<void>;
}

/**
 * The whole HTTP surface: POST/GET /graphql, graphql-ws on /graphql, GET /health, GET /metrics (Prometheus: the
 * event loop's delay), the file routes (/files/...) and POST /uploads.
 */
export async function createApp(options: AppOptions): Promise<App> {
  const { config, databaseUrl } = options;
  const log = options.log ?? ((line: string) => console.error(line));
  // Server-folder imports read only their roots; the default one is there from the start, ready to be filled.
  const defaultImportRoot = importRootFor(config.dataDir);
  if (config.importRoots.includes(defaultImportRoot)) await mkdir(defaultImportRoot, { recursive: true });
  const prisma: PrismaClient = createPrismaClient(databaseUrl, options.onQuery ? { onQuery: options.onQuery } : {});
  const events = await createEventBus(databaseUrl, log);
  // The server only sends tickets; workers run pg-boss maintenance.
  const queue = await startQueue(databaseUrl, { supervise: false, log });
  const reads = new Reads(databaseUrl, options.onQuery ? { onQuery: options.onQuery } : {});
  const services = createServices(config, prisma, reads, events, queue);
  // Servers reap too: with every worker gone, a run still leaves RUNNING once its heartbeat is stale.
  const reaper = startReaper(prisma, queue, config, log);
  const schema = await createSchema(events.pubSub);
  const guard = new OperationGuard(schema, config.limits);
  const disclosure = { production: config.production, development: options.development ?? isDevelopment() };
  const graphql = await createGraphqlHandler(schema, guard, services, log, disclosure);
  const files = createFileRoutes(services);
  const eventLoop = new EventLoopMonitor();

  async function health(response: ServerResponse): Promise<void> {
    try {
      const database = await checkDatabaseHealth(databaseUrl);
      sendJson(response, database.ok ? 200 : 503, { ok: database.ok, database });
    } catch (error) {
      const reason = config.production ? 'unreachable' : (error as Error).message;
      sendJson(response, 503, { ok: false, database: { ok: false, error: reason } });
    }
  }

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (applyCors(request, response, config)) return;
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname === '/graphql') return graphql.handle(request, response);
    if (url.pathname === '/health' && (request.method === 'GET' || request.method === 'HEAD')) return health(response);
    if (url.pathname === '/metrics' && request.method === 'GET') {
      response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4', 'cache-control': 'no-store' });
      response.end(eventLoop.prometheus());
      return;
    }
    if (await files(request, response, url)) return;
    sendError(response, 404, 'NOT_FOUND', `No route for ${request.method} ${url.pathname}`);
  }

  const server = http.createServer((request, response) => {
    route(request, response).catch((error: unknown) => {
      log(`HTTP ${request.method} ${request.url}: ${(error as Error).stack ?? String(error)}`);
      const message = config.production
        ? 'Internal server error'
        : disclosure.development
          ? String(error)
          : withoutServerPaths(String(error));
      sendError(response, 500, 'INTERNAL_SERVER_ERROR', message);
    });
  });

  const subscriptions = createSubscriptionServer(server, schema, guard, services, log, disclosure);

  let closed = false;
  return {
    server,
    services,
    schema,
    listen: (port = config.port) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, () => resolve((server.address() as AddressInfo).port));
      }),
    close: async () => {
      if (closed) return;
      closed = true;
      await subscriptions.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await graphql.apollo.stop();
      reaper.stop();
      eventLoop.stop();
      await queue.stop({ graceful: false, wait: true });
      await events.close();
      await reads.close();
      await prisma.$disconnect();
    },
  };
}
