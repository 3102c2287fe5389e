import { createPubSub } from '@graphql-yoga/subscription';
import { SlidingBuffer } from '@repeaterjs/repeater';
import pg from 'pg';
import type { PubSub } from 'type-graphql';

import { parseDatabaseUrl } from '../db/pg-adapter';

/**
 * Subscription events travel through PostgreSQL's LISTEN/NOTIFY, so that an event published by any process (a
 * worker on another machine, another API server) reaches the subscribers of every API server. Payloads are
 * small (ids and progress figures, well under NOTIFY's 8000 bytes); subscribers read the rest from the database.
 */
export const EVENT_CHANNEL = 'vad_events';

/** Routing keys; the subscription's id argument (run id, dataset id) is appended as `<key>:<id>`. */
export const Topic = {
  RUN_PROGRESS: 'RUN_PROGRESS',
  MASK_CHANGED: 'MASK_CHANGED',
  IMAGE_LABEL_CHANGED: 'IMAGE_LABEL_CHANGED',
  EXPORT_PROGRESS: 'EXPORT_PROGRESS',
  MASK_IMPORT_PROGRESS: 'MASK_IMPORT_PROGRESS',
  DATASET_IMPORT_PROGRESS: 'DATASET_IMPORT_PROGRESS',
  PREDICTION_PROGRESS: 'PREDICTION_PROGRESS',
} as const;

interface Wire {
  type: string;
  detail: unknown;
}

type Listener = (event: CustomEvent) => void;

/** The EventTarget @graphql-yoga/subscription's pubsub needs, with dispatch going through Postgres. */
class PostgresEventTarget {
  readonly #listeners = new Map<string, Set<Listener>>();

  constructor(private readonly notify: (wire: Wire) => void) {}

  addEventListener(type: string, listener: Listener): void {
    let set = this.#listeners.get(type);
    if (!set) this.#listeners.set(type, (set = new Set()));
    set.add(listener);
  }

  removeEventListener(type: string, listener: Listener): void {
    const set = this.#listeners.get(type);
    set?.delete(listener);
    if (set?.size === 0) this.#listeners.delete(type);
  }

  dispatchEvent(event: CustomEvent): boolean {
    this.notify({ type: event.type, detail: event.detail });
    return true;
  }

  /** An event that came back from Postgres: hand it to this process's subscribers. */
  deliver(wire: Wire): void {
    for (const listener of this.#listeners.get(wire.type) ?? [])
      listener(new CustomEvent(wire.type, { detail: wire.detail }));
  }

  get listening(): number {
    let count = 0;
    for (const set of this.#listeners.values()) count += set.size;
    return count;
  }
}

/** Sends one event with NOTIFY (usable from processes that never subscribe, such as workers). */
export async function notify(
  client: pg.Pool | pg.Client,
  routingKey: string,
  id: string,
  detail: unknown,
): Promise<void> {
  const wire: Wire = { type: `${routingKey}:${id}`, detail };
  await client.query('SELECT pg_notify($1, $2)', [EVENT_CHANNEL, JSON.stringify(wire)]);
}

export interface EventBus {
  pubSub: PubSub;
  /** Resolves once an event published from here has been sent. */
  publish(routingKey: string, id: string, detail: unknown): Promise<void>;
  close(): Promise<void>;
}

/**
 * The server's event bus: one connection LISTENs for every subscription of this process, one small pool
 * sends. If the listening connection drops, it reconnects (events sent meanwhile are lost, as with any
 * fire-and-forget bus: subscribers see the next one, and queries always give the current state).
 */
export async function createEventBus(url: string, log: (line: string) => void = () => {}): Promise<EventBus> {
  const connection = parseDatabaseUrl(url);
  const sender = new pg.Pool({ ...connection, max: 2, idleTimeoutMillis: 10_000 });
  const send = (wire: Wire) =>
    sender.query('SELECT pg_notify($1, $2)', [EVENT_CHANNEL, JSON.stringify(wire)]).then(
      () => undefined,
      (error: unknown) => log(`event not sent (${(error as Error).message})`),
    );
  const target = new PostgresEventTarget((wire) => void send(wire));
  // A slow subscriber keeps the latest events instead of piling them up without end.
  const pubSub = createPubSub({ eventTarget: target as never, repeaterBuffer: new SlidingBuffer(64) });

  let listener: pg.Client | null = null;
  let closed = false;
  const listen = async (): Promise<void> => {
    const client = new pg.Client(connection);
    client.on('notification', (message) => {
      if (message.channel !== EVENT_CHANNEL || !message.payload) return;
      try {
        target.deliver(JSON.parse(message.payload) as Wire);
      } catch {
        log('ignored a malformed event');
      }
    });
    client.on('error', (error) => {
      log(`event listener lost its connection (${error.message}); reconnecting`);
      void client.end().catch(() => {});
      if (!closed) setTimeout(() => void listen().catch(() => {}), 1000).unref();
    });
    await client.connect();
    await client.query(`LISTEN ${EVENT_CHANNEL}`);
    listener = client;
  };
  await listen();

  return {
    pubSub,
    publish: (routingKey, id, detail) => send({ type: `${routingKey}:${id}`, detail }),
    close: async () => {
      closed = true;
      await listener?.end().catch(() => {});
      await sender.end();
    },
  };
}
