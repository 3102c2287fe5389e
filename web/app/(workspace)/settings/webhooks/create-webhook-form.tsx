'use client';

import { useState, type FormEvent } from 'react';

import { formErrorsOf, type FieldErrors } from '@/lib/domain/users';
import { createWebhook, EVENT_GROUPS, type NewWebhook, type Webhook } from '@/lib/domain/webhooks';
import { browserClient } from '@/lib/graphql/browser';
import { describeError } from '@/lib/graphql/client';
import type { WebhookEventType } from '@/lib/graphql/generated';
import { FieldError } from '@/components/fields';

const LABELS: Record<keyof NewWebhook, string> = { url: 'URL', description: 'Description', events: 'Events' };

/** Adds a webhook; the secret the API made for it goes to `onCreated`, to be shown once. */
export function CreateWebhookForm({ onCreated }: { onCreated: (webhook: Webhook, secret: string) => void }) {
  const [errors, setErrors] = useState<FieldErrors<keyof NewWebhook>>({});
  const [pending, setPending] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const webhook: NewWebhook = {
      url: String(data.get('url') ?? ''),
      description: String(data.get('description') ?? ''),
      events: data.getAll('events').map(String) as WebhookEventType[],
    };
    setPending(true);
    setErrors({});
    try {
      const created = await createWebhook(browserClient, webhook);
      onCreated(created.webhook, created.secret);
      form.reset();
    } catch (failure) {
      setErrors(formErrorsOf(failure, LABELS) ?? { form: describeError(failure) });
    } finally {
      setPending(false);
    }
  }

  return (
    <form className="panel stack" onSubmit={submit} noValidate aria-label="Add a webhook">
      <h2>Add a webhook</h2>
      <div className="form-grid">
        <label className="field">
          {LABELS.url}
          <input
            type="url"
            name="url"
            placeholder="https://hooks.lab.example/vad"
            autoComplete="off"
            maxLength={2048}
          />
          <FieldError message={errors.url} />
        </label>
        <label className="field">
          {LABELS.description}
          <input type="text" name="description" placeholder="e.g. the lab's chat bot" maxLength={500} />
          <FieldError message={errors.description} />
        </label>
      </div>
      <fieldset className="stack" aria-label={LABELS.events}>
        <legend>{LABELS.events}</legend>
        {EVENT_GROUPS.map((group) => (
          <div key={group.label} className="row" style={{ flexWrap: 'wrap', gap: '0.8rem' }}>
            <strong className="small">{group.label}</strong>
            {group.events.map((event) => (
              <label key={event.type} className="row small" style={{ gap: '0.3rem' }}>
                <input type="checkbox" name="events" value={event.type} defaultChecked /> {event.text}
              </label>
            ))}
          </div>
        ))}
        <FieldError message={errors.events} />
      </fieldset>
      {errors.form ? (
        <div className="notice error" role="alert">
          {errors.form}
        </div>
      ) : null}
      <div className="row">
        <button className="primary" type="submit" disabled={pending}>
          Add webhook
        </button>
      </div>
    </form>
  );
}
