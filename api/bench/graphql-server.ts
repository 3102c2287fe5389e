// The GraphQL API as the benchmark measures it: the real app (auth, limits, DataLoaders) in production mode,
// in its own process. Prints {"port": n} once listening.
import 'reflect-metadata';

import { createApp } from '../src/app';
import { loadConfig } from '../src/config';
import { exitOnError } from '../src/db';

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set');
  const config = loadConfig({ ...process.env, VAD_API_PORT: '0' });
  config.production = true;
  const app = await createApp({ config, databaseUrl: url, log: (line) => console.error(line) });
  const port = await app.listen(0);
  console.log(JSON.stringify({ port }));
  process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
}

main().catch(exitOnError);
