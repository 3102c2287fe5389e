import type { Metadata } from 'next';
import { redirect } from 'next/navigation';

import { ErrorState } from '@/components/ui';
import { currentUser } from '@/lib/domain/session';
import { load } from '@/lib/server-data';
import { SignInForm } from './sign-in-form';

export const metadata: Metadata = { title: 'Sign in' };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const { next } = await searchParams;
  // Only paths inside the app: never an open redirect to another site.
  const target = typeof next === 'string' && next.startsWith('/') && !next.startsWith('//') ? next : '/datasets';
  const user = await load((client) => currentUser(client));
  if (user.ok && user.value) redirect(target);
  return (
    <>
      <h1>Sign in</h1>
      <p className="muted">Visual anomaly detection: datasets, runs, masks and evaluations.</p>
      {!user.ok ? <ErrorState title="The API is not reachable" message={user.message} /> : null}
      <SignInForm next={target} />
    </>
  );
}
