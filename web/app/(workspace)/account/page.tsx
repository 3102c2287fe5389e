import type { Metadata } from 'next';

import { ErrorState } from '@/components/ui';
import { ROLE_LABELS } from '@/lib/domain/session';
import { requireSession } from '@/lib/server-data';
import { ChangePasswordForm } from './change-password-form';

export const metadata: Metadata = { title: 'Your account' };

export default async function AccountPage() {
  const session = await requireSession();
  if (!session.ok) return <ErrorState message={session.message} />;
  const { user } = session.value;
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Your account</h1>
          <p>
            {user.name}, signed in as <span className="mono">{user.email}</span> ({ROLE_LABELS[user.role].toLowerCase()}
            ). An admin changes names and roles on the People page.
          </p>
        </div>
      </div>
      <ChangePasswordForm email={user.email} />
    </>
  );
}
