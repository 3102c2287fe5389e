import type { ReactNode } from 'react';

import { SignedInShell } from '@/components/signed-in-shell';

import '../styles/data.css';
import '../styles/images.css';
import '../styles/review.css';

/** The workspace: the header, then a padded, scrolling page. */
export default function WorkspaceLayout({ children }: { children: ReactNode }) {
  return (
    <SignedInShell>
      <main className="main">{children}</main>
    </SignedInShell>
  );
}
