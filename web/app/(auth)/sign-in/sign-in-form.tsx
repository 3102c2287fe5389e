'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';

import { signIn } from '@/lib/domain/session';
import { browserClient } from '@/lib/graphql/browser';
import { describeError } from '@/lib/graphql/client';

export function SignInForm({ next }: { next: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    try {
      await signIn(browserClient, String(form.get('email') ?? ''), String(form.get('password') ?? ''));
      router.replace(next);
      router.refresh();
    } catch (failure) {
      setError(describeError(failure));
      setPending(false);
    }
  }

  return (
    <form className="stack" onSubmit={submit} noValidate>
      <label className="field">
        Email
        <input type="email" name="email" autoComplete="username" required autoFocus />
      </label>
      <label className="field">
        Password
        <input type="password" name="password" autoComplete="current-password" required />
      </label>
      {error ? (
        <div className="notice error" role="alert">
          {error}
        </div>
      ) : null}
      <button className="primary" type="submit" disabled={pending}>
        {pending ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}
