// The API as a child of `npm start`: the supervisor has already started and migrated the database that
// DATABASE_URL names, so this only serves (api/src/server.ts's own entry point would migrate again at every
// restart). SIGTERM or SIGINT closes connections and exits.
import { exitOnError, loadConfig } from '@vad/api';
import { startServer } from '@vad/api/src/server';

async function main(): Promise<void> {
  const log = (line: string) => console.log(`[api] ${line}`);
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('api-service.ts is started by scripts/start.ts, which sets DATABASE_URL');
  const server = await startServer(loadConfig(), url, log);
  let stopping = false;
  const stop = (code: number) => {
    if (stopping) return;
    stopping = true;
    server.stop().then(
      () => process.exit(code),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop(0)).on('SIGINT', () => stop(0));
}

main().catch(exitOnError);
