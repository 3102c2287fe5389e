import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

import { headersFor, type Credentials } from './api';

export interface Subscription<T> {
  /** The next event, or a rejection after `timeoutMs`. */
  next(timeoutMs?: number): Promise<T>;
  close(): Promise<void>;
}

/** A graphql-ws subscription authenticated like a browser (cookie on the upgrade) or a tool (connectionParams). */
export async function subscribe<T>(
  baseUrl: string,
  query: string,
  variables: Record<string, unknown>,
  credentials: Credentials,
): Promise<Subscription<T>> {
  const headers = headersFor(credentials);
  class AuthenticatedSocket extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, { headers: 'cookie' in headers ? { cookie: headers.cookie! } : {} });
    }
  }
  const client: Client = createClient({
    url: baseUrl.replace(/^http/, 'ws') + '/graphql',
    webSocketImpl: AuthenticatedSocket,
    connectionParams: 'authorization' in headers ? { authorization: headers.authorization } : {},
    retryAttempts: 0,
  });
  const queue: ({ value: T } | { error: unknown })[] = [];
  const waiting: ((item: { value: T } | { error: unknown }) => void)[] = [];
  const push = (item: { value: T } | { error: unknown }) => {
    const waiter = waiting.shift();
    if (waiter) waiter(item);
    else queue.push(item);
  };
  let acknowledged!: () => void;
  const ready = new Promise<void>((resolve) => (acknowledged = resolve));
  client.on('connected', () => acknowledged());
  const dispose = client.subscribe<T>(
    { query, variables },
    {
      next: (result) => push(result.errors ? { error: result.errors } : { value: result.data as T }),
      error: (error) => push({ error }),
      complete: () => {},
    },
  );
  await ready;
  // The server registers the subscription just after the subscribe message: give it a moment.
  await new Promise((resolve) => setTimeout(resolve, 100));
  return {
    next: (timeoutMs = 5000) => {
      const item = queue.shift();
      const settle = (got: { value: T } | { error: unknown }) =>
        'value' in got ? got.value : Promise.reject(got.error);
      if (item) return Promise.resolve(settle(item));
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no subscription event within ${timeoutMs} ms`)), timeoutMs);
        waiting.push((got) => {
          clearTimeout(timer);
          if ('value' in got) resolve(got.value);
          else reject(got.error instanceof Error ? got.error : new Error(JSON.stringify(got.error)));
        });
      });
    },
    close: async () => {
      dispose();
      await client.dispose();
    },
  };
}
