import type { ReactNode } from 'react';

import { SignedInShell } from '@/components/signed-in-shell';

import '../styles/editor.css';

/** The annotation workspace: the header, then the editor filling the window (no page padding or scrolling). */
export default function EditorLayout({ children }: { children: ReactNode }) {
  return <SignedInShell>{children}</SignedInShell>;
}
