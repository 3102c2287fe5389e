'use client';

import Link from 'next/link';
import { usePathname, useRouter } from 'next/navigation';
import { useState } from 'react';

import { signOut } from '@/lib/domain/session';
import { browserClient } from '@/lib/graphql/browser';
import { WorkCount, type WorkCountKind } from './nav-counts';

export interface NavLink {
  href: string;
  label: string;
  /** A count shown after the label: masks to review, or images to annotate. */
  count?: WorkCountKind;
}

export function NavLinks({ links }: { links: NavLink[] }) {
  const pathname = usePathname();
  return (
    <nav className="nav" aria-label="Main">
      {links.map((link) => (
        <Link
          key={link.href}
          href={link.href}
          aria-current={pathname === link.href || pathname.startsWith(`${link.href}/`) ? 'page' : undefined}
        >
          {link.label}
          {link.count ? <WorkCount kind={link.count} /> : null}
        </Link>
      ))}
    </nav>
  );
}

export function SignOutButton() {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  return (
    <button
      disabled={pending}
      onClick={async () => {
        setPending(true);
        // Signed out either way: a failed logout leaves a session that expires on its own.
        await signOut(browserClient).catch(() => {});
        router.replace('/sign-in');
        router.refresh();
      }}
    >
      Sign out
    </button>
  );
}
