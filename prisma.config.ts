import path from 'node:path';
import { defineConfig } from 'prisma/config';

import { createPgAdapter } from './api/src/db/pg-adapter';

// Prisma 6's WebAssembly schema engine over the pg adapter: the native engine download is unreachable here.
export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: path.join(__dirname, 'prisma', 'schema.prisma'),
  migrations: { path: path.join(__dirname, 'prisma', 'migrations') },
  async adapter() {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error('DATABASE_URL is not set: run prisma through `npm start` / `npm test`, or set it');
    return createPgAdapter(url, { idleTimeoutMillis: 100, max: 2 });
  },
});
