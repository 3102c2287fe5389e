'use client';

import { useState, type FormEvent } from 'react';

import { Notice } from '@/components/ui';
import {
  changePassword,
  formErrorsOf,
  MIN_PASSWORD_LENGTH,
  PASSWORD_CHANGE_LABELS as LABELS,
  type FieldErrors,
  type PasswordChange,
} from '@/lib/domain/users';
import { browserClient } from '@/lib/graphql/browser';
import { describeError } from '@/lib/graphql/client';

type Field = keyof PasswordChange;

/** The signed-in user's own password: the current one, then the new one twice. */
export function ChangePasswordForm({ email }: { email: string }) {
  const [errors, setErrors] = useState<FieldErrors<Field>>({});
  const [pending, setPending] = useState(false);
  const [done, setDone] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const change: PasswordChange = {
      currentPassword: String(data.get('currentPassword') ?? ''),
      newPassword: String(data.get('newPassword') ?? ''),
      repeated: String(data.get('repeated') ?? ''),
    };
    setPending(true);
    setErrors({});
    setDone(false);
    try {
      await changePassword(browserClient, change, email);
      setDone(true);
      form.reset();
    } catch (failure) {
      setErrors(formErrorsOf(failure, LABELS) ?? { form: describeError(failure) });
    } finally {
      setPending(false);
    }
  }

  const field = (name: Field, autoComplete: string, hint?: string) => (
    <label className="field">
      {LABELS[name]}
      <input
        type="password"
        name={name}
        autoComplete={autoComplete}
        required
        onChange={() => setErrors((previous) => (previous[name] ? { ...previous, [name]: undefined } : previous))}
      />
      {hint ? <span className="hint">{hint}</span> : null}
      {errors[name] ? (
        <span className="hint" style={{ color: 'var(--danger)' }} role="alert">
          {errors[name]}
        </span>
      ) : null}
    </label>
  );

  return (
    <form
      className="panel stack"
      onSubmit={submit}
      noValidate
      aria-label="Change your password"
      style={{ maxWidth: 480 }}
    >
      <h2>Change your password</h2>
      {/* Lets password managers file the new password under the right account. */}
      <input type="email" name="username" autoComplete="username" value={email} readOnly hidden />
      {field('currentPassword', 'current-password')}
      {field(
        'newPassword',
        'new-password',
        `At least ${MIN_PASSWORD_LENGTH} characters, not a common password, not your email.`,
      )}
      {field('repeated', 'new-password')}
      {errors.form ? (
        <div className="notice error" role="alert">
          {errors.form}
        </div>
      ) : null}
      {done ? (
        <Notice kind="ok">Password changed. Your other sessions have ended; this one stays signed in.</Notice>
      ) : null}
      <div className="row">
        <button className="primary" type="submit" disabled={pending}>
          {pending ? 'Changing…' : 'Change password'}
        </button>
      </div>
    </form>
  );
}
