'use client';

import { useState } from 'react';

import { DataTable, Notice } from '@/components/ui';
import { ROLE_LABELS } from '@/lib/domain/session';
import {
  disableUser,
  enableUser,
  endUserSessions,
  resetUserPassword,
  ROLES,
  setUserRole,
  type UserAccount,
} from '@/lib/domain/users';
import { browserClient } from '@/lib/graphql/browser';
import { describeError } from '@/lib/graphql/client';
import type { Role } from '@/lib/graphql/generated';
import { dateTime } from '@/lib/format';
import { CreateUserForm } from './create-user-form';

type Outcome = { kind: 'ok' | 'error'; text: string };

function byEmail(a: UserAccount, b: UserAccount): number {
  return a.email < b.email ? -1 : a.email > b.email ? 1 : 0;
}

/** The accounts table with what an admin changes on it; `selfId` is the signed-in admin, whom the API protects. */
export function UserManager({ initial, selfId }: { initial: UserAccount[]; selfId: string }) {
  const [users, setUsers] = useState(initial);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  /** The user a change is being sent for: their row's controls wait for it. */
  const [busy, setBusy] = useState<string | null>(null);
  /** The user whose new password is being typed, and what is typed. */
  const [resetting, setResetting] = useState<{ id: string; password: string } | null>(null);

  function replace(user: UserAccount) {
    setUsers((previous) => previous.map((entry) => (entry.id === user.id ? user : entry)));
  }

  async function act(user: UserAccount, work: () => Promise<string>) {
    setBusy(user.id);
    setOutcome(null);
    try {
      setOutcome({ kind: 'ok', text: await work() });
    } catch (failure) {
      setOutcome({ kind: 'error', text: `${user.name}: ${describeError(failure)}` });
    } finally {
      setBusy(null);
    }
  }

  const changeRole = (user: UserAccount, role: Role) =>
    act(user, async () => {
      const changed = await setUserRole(browserClient, user.id, role);
      replace(changed);
      const label = ROLE_LABELS[changed.role].toLowerCase();
      return `${changed.name} is now ${/^[aeiou]/.test(label) ? 'an' : 'a'} ${label}, from their next request on.`;
    });

  const toggle = (user: UserAccount) => {
    if (!user.disabledAt) {
      const question = `Disable ${user.name}? They are signed out at once, cannot sign in and their API keys stop working.`;
      if (!window.confirm(question)) return;
    }
    return act(user, async () => {
      const changed = await (user.disabledAt ? enableUser : disableUser)(browserClient, user.id);
      replace(changed);
      return changed.disabledAt
        ? `${changed.name} is disabled: signed out everywhere, API keys refused.`
        : `${changed.name} can sign in again; their API keys work again.`;
    });
  };

  const signOut = (user: UserAccount) =>
    act(user, async () => {
      const ended = await endUserSessions(browserClient, user.id);
      const sessions = ended === 1 ? '1 session' : `${ended} sessions`;
      return `Ended ${sessions} of ${user.name}: they sign in again to go on (API keys still work).`;
    });

  const resetPassword = (user: UserAccount, password: string) =>
    act(user, async () => {
      replace(await resetUserPassword(browserClient, user, password));
      setResetting(null);
      return `${user.name} has a new password and is signed out everywhere: tell them, they sign in with it.`;
    });

  return (
    <>
      <CreateUserForm
        onCreated={(user) => {
          setUsers((previous) => [...previous, user].sort(byEmail));
          setOutcome({
            kind: 'ok',
            text: `Created ${user.name} (${ROLE_LABELS[user.role].toLowerCase()}). They sign in with ${user.email}.`,
          });
        }}
      />
      {outcome ? (
        <Notice kind={outcome.kind}>
          <span data-testid="people-outcome">{outcome.text}</span>
        </Notice>
      ) : null}
      <DataTable testId="users">
        <thead>
          <tr>
            <th>Name</th>
            <th>Email</th>
            <th>Role</th>
            <th>State</th>
            <th>Created</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {users.map((user) => {
            const self = user.id === selfId;
            const waiting = busy === user.id;
            return (
              <tr key={user.id} data-email={user.email} data-role={user.role} data-disabled={Boolean(user.disabledAt)}>
                <td className="free-text">
                  {user.name}
                  {self ? <span className="muted small"> (you)</span> : null}
                </td>
                <td className="free-text">{user.email}</td>
                <td>
                  {self ? (
                    ROLE_LABELS[user.role]
                  ) : (
                    <select
                      aria-label={`Role of ${user.name}`}
                      name="role"
                      value={user.role}
                      disabled={waiting}
                      onChange={(event) => void changeRole(user, event.target.value as Role)}
                    >
                      {ROLES.map((role) => (
                        <option key={role} value={role}>
                          {ROLE_LABELS[role]}
                        </option>
                      ))}
                    </select>
                  )}
                </td>
                <td>
                  {user.disabledAt ? (
                    <span className="badge danger" title={`Disabled ${dateTime(user.disabledAt)}`}>
                      disabled
                    </span>
                  ) : (
                    <span className="badge ok">active</span>
                  )}
                </td>
                <td className="small">{dateTime(user.createdAt)}</td>
                <td className="num">
                  {self ? null : resetting?.id === user.id ? (
                    <form
                      className="row"
                      style={{ justifyContent: 'flex-end', flexWrap: 'nowrap' }}
                      onSubmit={(event) => {
                        event.preventDefault();
                        void resetPassword(user, resetting.password);
                      }}
                    >
                      <input
                        type="password"
                        autoComplete="new-password"
                        aria-label={`New password for ${user.name}`}
                        placeholder="New password"
                        value={resetting.password}
                        disabled={waiting}
                        onChange={(event) => setResetting({ id: user.id, password: event.target.value })}
                      />
                      <button type="submit" disabled={waiting || resetting.password === ''}>
                        Set password
                      </button>
                      <button type="button" disabled={waiting} onClick={() => setResetting(null)}>
                        Cancel
                      </button>
                    </form>
                  ) : (
                    <div className="row" style={{ justifyContent: 'flex-end', flexWrap: 'nowrap' }}>
                      <button disabled={waiting} onClick={() => setResetting({ id: user.id, password: '' })}>
                        Reset password
                      </button>
                      {user.disabledAt ? null : (
                        <button disabled={waiting} onClick={() => void signOut(user)}>
                          End sessions
                        </button>
                      )}
                      <button
                        className={user.disabledAt ? undefined : 'danger'}
                        disabled={waiting}
                        onClick={() => void toggle(user)}
                      >
                        {user.disabledAt ? 'Enable' : 'Disable'}
                      </button>
                    </div>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </DataTable>
    </>
  );
}
