import type { PrismaClient } from '@prisma/client';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';

import { sha256 } from './tokens';

export interface SignInLimit {
  /** Guesses allowed in a window. */
  guesses: number;
  /** Length of the window, in seconds. */
  windowSeconds: number;
  /** How long a key that went over is refused, in seconds. */
  lockSeconds: number;
}

/**
 * Per account: 10 guesses in 15 minutes, then 15 minutes refused (the right password included). Per client
 * address: 100 guesses in 15 minutes across all accounts, then 15 minutes refused.
 */
export const SIGN_IN_LIMITS: Record<'account' | 'address', SignInLimit> = {
  account: { guesses: 10, windowSeconds: 15 * 60, lockSeconds: 15 * 60 },
  address: { guesses: 100, windowSeconds: 15 * 60, lockSeconds: 15 * 60 },
};

/** A guess refused without being checked, and when the next one may be tried. */
export interface Refusal {
  by: 'account' | 'address';
  retryAfterSeconds: number;
}

/**
 * Counts sign-in guesses per account and per client address with rate-limiter-flexible's Postgres store, so
 * that every API server shares the counts and an increment is one atomic upsert. Each guess is counted before
 * its password is checked: guesses sent together (aliases in one request, parallel requests) are all counted,
 * and a locked account refuses the right password too.
 */
export class SignInThrottle {
  readonly #account: RateLimiterPostgres;
  readonly #address: RateLimiterPostgres;

  constructor(prisma: PrismaClient, limits = SIGN_IN_LIMITS) {
    const store = prismaStore(prisma);
    const limiter = (keyPrefix: string, limit: SignInLimit) =>
      new RateLimiterPostgres({
        storeClient: store,
        storeType: 'pool',
        // Created by a migration (prisma/schema.prisma, SignInAttempt), not by the store at start-up.
        tableName: 'SignInAttempt',
        tableCreated: true,
        keyPrefix,
        points: limit.guesses,
        duration: limit.windowSeconds,
        blockDuration: limit.lockSeconds,
      });
    this.#account = limiter('account', limits.account);
    this.#address = limiter('address', limits.address);
  }

  /** Counts one guess; null when it may be checked, otherwise why not. No address: only the account counts. */
  async count(account: string, address: string | undefined): Promise<Refusal | null> {
    if (address !== undefined) {
      const refusal = await consume(this.#address, address, 'address');
      if (refusal) return refusal;
    }
    return consume(this.#account, account, 'account');
  }

  /** The right password: the account starts afresh, and the guess is not held against the address. */
  async succeeded(account: string, address: string | undefined): Promise<void> {
    await this.#account.delete(key(account));
    if (address !== undefined) await this.#address.reward(key(address));
  }
}

// Emails can be longer than the store's key column, and the table need not hold them: keys are their hashes.
function key(value: string): string {
  return sha256(value.trim().toLowerCase());
}

async function consume(limiter: RateLimiterPostgres, value: string, by: Refusal['by']): Promise<Refusal | null> {
  try {
    await limiter.consume(key(value));
    return null;
  } catch (outcome) {
    // The store rejects with its result when the key is over its limit, and with an Error when it fails.
    if (!(outcome instanceof RateLimiterRes)) throw outcome;
    return { by, retryAfterSeconds: Math.max(1, Math.ceil(outcome.msBeforeNext / 1000)) };
  }
}

/**
 * The Postgres store speaks pg's `query({ text, values })`; Prisma's raw queries run that on the API's own
 * connection pool. pg reads a bigint as a number-like string, Prisma as a BigInt, which the store cannot
 * subtract from `Date.now()`: bigints come back as numbers (milliseconds since 1970 fit).
 */
function prismaStore(prisma: PrismaClient) {
  return {
    async query(query: { text: string; values?: unknown[] }) {
      const rows = await prisma.$queryRawUnsafe<Record<string, unknown>[]>(query.text, ...(query.values ?? []));
      for (const row of rows) {
        for (const [column, value] of Object.entries(row)) if (typeof value === 'bigint') row[column] = Number(value);
      }
      return { rows, rowCount: rows.length };
    },
  };
}
