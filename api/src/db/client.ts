import { PrismaClient } from '@prisma/client';

import { createPgAdapter, type AdapterOptions } from './pg-adapter';

/** A Prisma client over the pg driver adapter (the only engine that runs without downloads). */
export function createPrismaClient(url: string, options: AdapterOptions = {}): PrismaClient {
  return new PrismaClient({ adapter: createPgAdapter(url, options) });
}
