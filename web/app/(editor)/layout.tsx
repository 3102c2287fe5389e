import type { ReactNode } from 'react';

import { Header } from '@/components/header';
import { LiveProvider } from '@/components/live';
import { ErrorState } from '@/components/ui';
import { apiPort, publicSubscriptionsUrl } from '@/lib/config';
import { requireSession } from '@/lib/server-data';

import '../styles/editor.css';

/** The annotation workspace: the header, then the editor filling the window (no page padding or scrolling). */
export default async function EditorLayout({ children }: { children: ReactNode }) {
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
