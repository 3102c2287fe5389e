'use client';

import { createContext, useContext, useEffect, useRef, type ReactNode } from 'react';

import type { TypedDocumentString } from '@/lib/graphql/generated';
import { subscribe, type SubscriptionEndpoint } from '@/lib/graphql/subscriptions';

const EndpointContext = createContext<SubscriptionEndpoint | null>(null);

/** Tells client components where live updates come from (read from the server's environment per request). */
export function LiveProvider({ endpoint, children }: { endpoint: SubscriptionEndpoint; children: ReactNode }) {
  return <EndpointContext.Provider value={endpoint}>{children}</EndpointContext.Provider>;
}

/**
 * Follows a subscription while `enabled`; `onData` and `onError` may change between renders without
 * resubscribing. Variables are compared by value.
 */
export function useSubscription<R, V extends Record<string, unknown>>(
  document: TypedDocumentString<R, V>,
  variables: V,
  onData: (data: R) => void,
  options: { enabled?: boolean; onError?: (message: string) => void } = {},
): void {
  const endpoint = useContext(EndpointContext);
  const handlers = useRef({ onData, onError: options.onError });
  useEffect(() => {
    handlers.current = { onData, onError: options.onError };
  });
  const key = JSON.stringify(variables);
  const enabled = options.enabled ?? true;
  useEffect(() => {
    if (!endpoint || !enabled) return;
    return subscribe(endpoint, document, JSON.parse(key) as V, {
      next: (data) => handlers.current.onData(data),
      error: (message) => handlers.current.onError?.(message),
    });
  }, [endpoint, document, key, enabled]);
}
