import type { Metadata } from 'next';

import { ErrorState } from '@/components/ui';
import { listUsers } from '@/lib/domain/users';
import { load, requireSession } from '@/lib/server-data';
import { UserManager } from './user-manager';

export const metadata: Metadata = { title: 'People' };

export default async function UsersPage() {
  const session = await requireSession();
  if (session.ok && !session.value.can.admin) {
    return <ErrorState title="Admins only" message="Accounts are managed by admins. Ask one to add or change one." />;
  }
  const users = await load(listUsers);
  return (
    <>
      <div className="page-head">
        <div>
          <h1>People</h1>
          <p>
            Who may sign in, and what they may do. Admins cannot change their own role or disable themselves: another
            admin does that.
          </p>
        </div>
      </div>
      {!session.ok ? (
        <ErrorState message={session.message} />
      ) : users.ok ? (
        <UserManager initial={users.value} selfId={session.value.user.id} />
      ) : (
        <ErrorState message={users.message} />
      )}
    </>
  );
}
