import Link from 'next/link';

import { ROLE_LABELS, type Session } from '@/lib/domain/session';
import { NavLinks, SignOutButton, type NavLink } from './header-client';

export function Header({ session }: { session: Session }) {
  const links: NavLink[] = [
    { href: '/datasets', label: 'Datasets' },
    { href: '/runs', label: 'Runs' },
    ...(session.can.annotate ? [{ href: '/queue', label: 'My queue', count: 'queue' as const }] : []),
    ...(session.can.admin ? [{ href: '/review', label: 'Review', count: 'review' as const }] : []),
    ...(session.can.admin
      ? [
          { href: '/settings/users', label: 'People' },
          { href: '/settings/api-keys', label: 'API keys' },
          { href: '/settings/webhooks', label: 'Webhooks' },
        ]
      : []),
  ];
  return (
    <header className="header">
      <Link className="brand" href="/datasets">
        VAD
      </Link>
      <NavLinks links={links} />
      <div className="header-user">
        <Link href="/account" data-testid="current-user" title="Your account: change your password">
          {session.user.name}
        </Link>
        <span className="badge info" data-testid="current-role" title="Your role decides what you can change">
          {ROLE_LABELS[session.user.role]}
        </span>
        <SignOutButton />
      </div>
    </header>
  );
}
