'use client';

import { useState, type FormEvent } from 'react';

import { ROLE_LABELS } from '@/lib/domain/session';
import {
  createUser,
  formErrorsOf,
  MIN_PASSWORD_LENGTH,
  NEW_USER_LABELS,
  ROLE_DESCRIPTIONS,
  ROLES,
  type FieldErrors,
  type NewUser,
  type UserAccount,
} from '@/lib/domain/users';
import { browserClient } from '@/lib/graphql/browser';
import { describeError } from '@/lib/graphql/client';
import type { Role } from '@/lib/graphql/generated';
import { FieldError } from '@/components/fields';

function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function CreateUserForm({ onCreated }: { onCreated: (user: UserAccount) => void }) {
  const [errors, setErrors] = useState<FieldErrors<keyof NewUser>>({});
  const [pending, setPending] = useState(false);
  /** Kept in state to explain the chosen role under the field. */
  const [role, setRole] = useState<Role>('ANNOTATOR');

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const user: NewUser = {
      email: String(data.get('email') ?? ''),
      name: String(data.get('name') ?? ''),
      role,
      password: String(data.get('password') ?? ''),
    };
    setPending(true);
    setErrors({});
    try {
      onCreated(await createUser(browserClient, user));
      form.reset();
    } catch (failure) {
      setErrors(formErrorsOf(failure, NEW_USER_LABELS) ?? { form: describeError(failure) });
    } finally {
      setPending(false);
    }
  }

  // A field's own error clears as soon as it is edited again.
  const clear = (field: keyof NewUser) => () =>
    setErrors((previous) => (previous[field] ? { ...previous, [field]: undefined } : previous));

  return (
    <form className="panel stack" onSubmit={submit} noValidate aria-label="Create a user">
      <h2>Add a person</h2>
      <div className="form-grid">
        <label className="field">
          {NEW_USER_LABELS.email}
          <input type="email" name="email" autoComplete="off" required maxLength={254} onChange={clear('email')} />
          <FieldError message={errors.email} />
        </label>
        <label className="field">
          {NEW_USER_LABELS.name}
          <input type="text" name="name" autoComplete="off" required maxLength={100} onChange={clear('name')} />
          <FieldError message={errors.name} />
        </label>
        <label className="field">
          {NEW_USER_LABELS.role}
          <select
            name="role"
            value={role}
            onChange={(event) => {
              setRole(event.target.value as Role);
              clear('role')();
            }}
          >
            {ROLES.map((entry) => (
              <option key={entry} value={entry}>
                {ROLE_LABELS[entry]}
              </option>
            ))}
          </select>
          <span className="hint">{sentence(ROLE_DESCRIPTIONS[role])}.</span>
          <FieldError message={errors.role} />
        </label>
        <label className="field">
          {NEW_USER_LABELS.password}
          <input
            type="password"
            name="password"
            autoComplete="new-password"
            required
            minLength={MIN_PASSWORD_LENGTH}
            onChange={clear('password')}
          />
          <span className="hint">
            At least {MIN_PASSWORD_LENGTH} characters, not a common password. Hand it over in person; they can change it
            on their Account page.
          </span>
          <FieldError message={errors.password} />
        </label>
      </div>
      {errors.form ? (
        <div className="notice error" role="alert">
          {errors.form}
        </div>
      ) : null}
      <div className="row">
        <button className="primary" type="submit" disabled={pending}>
          {pending ? 'Creating…' : 'Create user'}
        </button>
      </div>
    </form>
  );
}
