// `npm run serve -w api`: the API server. Uses DATABASE_URL when set, otherwise the project's embedded
// PostgreSQL (.data/postgres); applies migrations, creates the first admin, then serves on VAD_API_PORT (4000).
import 'reflect-metadata';

import path from 'node:path';

import { createApp, type App } from './app';
import { loadConfig, portFromEnv, REPO_ROOT, type Config } from './config';
import { exitOnError, openDatabase, type OpenDatabase } from './db';

export interface StartedServer {
  app: App;
  port: number;
  stop(): Promise<void>;
}

/** Starts the API on an already migrated database (what `npm start` and the tests call). */
export async function startServer(
  config: Config,
  databaseUrl: string,
  log: (line: string) => void,
): Promise<StartedServer> {
  const app = await createApp({ config, databaseUrl, log });
  const admin = await app.services.users.ensureAdmin(config.admin.email, config.admin.password);
  if (admin.created) {
    log(
      config.admin.fromEnvironment
        ? `Created the first admin, ${config.admin.email} (from VAD_ADMIN_EMAIL / VAD_ADMIN_PASSWORD)`
        : `Created the demo admin ${config.admin.email} with the documented demo password: set VAD_ADMIN_EMAIL and VAD_ADMIN_PASSWORD outside the demo`,
    );
  }
  const port = await app.listen(config.port);
  log(`API listening on http://localhost:${port}/graphql (files in ${config.dataDir})`);
  return { app, port, stop: () => app.close() };
}

async function main(): Promise<void> {
  const log = (line: string) => console.log(`[api] ${line}`);
  const config = loadConfig();
  let database: OpenDatabase | undefined;
  let url = process.env.DATABASE_URL;
  if (!url) {
    database = await openDatabase({
      dataDir: path.join(REPO_ROOT, '.data', 'postgres'),
      database: 'vad',
      port: portFromEnv('VAD_DB_PORT'),
      log,
    });
    url = database.url;
    log(`Workers connect with DATABASE_URL=${url}`);
  } else {
    database = await openDatabase({ dataDir: '', database: '', url, log });
  }
  const server = await startServer(config, url, log);
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await server.stop();
    await database?.stop();
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(130)).on('SIGTERM', () => void stop(143));
}

if (require.main === module) {
  main().catch(exitOnError);
}
