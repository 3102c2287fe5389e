import { createClient, type Client } from 'graphql-ws';

import type { TypedDocumentString } from './generated';

/** Where the socket goes: see lib/graphql/config.ts (publicSubscriptionsUrl). */
export interface SubscriptionEndpoint {
  url: string | null;
  apiPort: string;
}

let shared: { key: string; client: Client } | null = null;

function socketUrl(endpoint: SubscriptionEndpoint): string {
  if (endpoint.url) return endpoint.url;
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${window.location.hostname}:${endpoint.apiPort}/graphql`;
}

/** One socket per page, reconnecting on its own; the browser sends the session cookie with the upgrade. */
function clientFor(endpoint: SubscriptionEndpoint): Client {
  const url = socketUrl(endpoint);
  if (shared?.key !== url) {
    void shared?.client.dispose();
    shared = { key: url, client: createClient({ url, lazy: true, retryAttempts: Infinity }) };
  }
  return shared.client;
}

export interface SubscriptionHandlers<R> {
  next(data: R): void;
  error(message: string): void;
}

/** Subscribes; returns the function that ends it. */
export function subscribe<R, V extends Record<string, unknown>>(
  endpoint: SubscriptionEndpoint,
  document: TypedDocumentString<R, V>,
  variables: V,
  handlers: SubscriptionHandlers<R>,
): () => void {
  return clientFor(endpoint).subscribe<R>(
    { query: document.toString(), variables },
    {
      next: (result) => {
        if (result.errors?.length) handlers.error(result.errors.map((error) => error.message).join('; '));
        else if (result.data) handlers.next(result.data as R);
      },
      error: (error) =>
        handlers.error(error instanceof Error ? error.message : 'The live connection to the API was lost'),
      complete: () => {},
    },
  );
}
