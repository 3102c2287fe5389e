import type { ReactNode } from 'react';

import { Header } from '@/components/header';
import { LiveProvider } from '@/components/live';
import { ErrorState } from '@/components/ui';
import { apiPort, publicSubscriptionsUrl } from '@/lib/config';
import { requireSession } from '@/lib/server-data';

import '../styles/data.css';
import '../styles/images.css';

export default async function WorkspaceLayout({ children }: { children: ReactNode }) {
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
      <LiveProvider endpoint={{ url: publicSubscriptionsUrl(), apiPort: apiPort() }}>
        <main className="main">{children}</main>
      </LiveProvider>
    </div>
  );
}
