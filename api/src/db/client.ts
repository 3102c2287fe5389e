import { PrismaClient } from '@prisma/client';

import { createPgAdapter } from './pg-adapter';

/** A Prisma client over the pg driver adapter (the only engine that runs without downloads). */
export function createPrismaClient(url: string): PrismaClient {
  return new PrismaClient({ adapter: createPgAdapter(url) });
}
