import type { ReactNode } from 'react';

import { apiPort, publicSubscriptionsUrl } from '@/lib/graphql/config';
import { requireSession } from '@/lib/server-data';
import { Header } from './header';
import { LiveProvider } from './live';
import { ErrorState } from './ui';

/** What signed-in pages sit in: the header and live updates; a notice instead when the API cannot be reached. */
export async function SignedInShell({ children }: { children: ReactNode }) {
  const session = await requireSession();
  if (!session.ok) {
    return (
      <main className="main">
        <ErrorState title="The API is not reachable" message={session.message} />
      </main>
    );
  }
  return (
    <div className="shell">
      <Header session={session.value} />
      <LiveProvider endpoint={{ url: publicSubscriptionsUrl(), apiPort: apiPort() }}>{children}</LiveProvider>
    </div>
  );
}
