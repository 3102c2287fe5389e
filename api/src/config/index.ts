import path from 'node:path';

import { EnvironmentError } from '../db';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

/** The documented demo account of the embedded/demo mode; production must set its own (see api/README.md). */
export const DEMO_ADMIN_EMAIL = 'admin@vad.local';
export const DEMO_ADMIN_PASSWORD = 'vad-demo-admin';

/** Loopback: the web app forwards browsers' requests from the same machine (http/client-address.ts). */
export const DEFAULT_TRUSTED_PROXIES = ['127.0.0.1', '::1', '::ffff:127.0.0.1'];

export interface Limits {
  /** Largest `first` a connection accepts. */
  maxPageSize: number;
  /** Deepest selection a query may nest (fragments expanded). */
  maxQueryDepth: number;
  /** Most estimated work a query may ask for (every field 1, list fields times their page size). */
  maxQueryComplexity: number;
  /** Largest request body for /graphql. */
  maxGraphqlBodyBytes: number;
  /** Largest zip accepted by POST /uploads. */
  maxUploadBytes: number;
  /** Sum of the uncompressed sizes of a zip's entries. */
  maxUnzippedBytes: number;
  maxZipEntries: number;
  /** Largest image (width x height) accepted by an import or a mask save. */
  maxImagePixels: number;
  /** Largest decoded mask PNG accepted by saveMask. */
  maxMaskBytes: number;
}

export interface Config {
  production: boolean;
  port: number;
  /** Root of the file store: images, masks, maps, checkpoints, caches and uploads. */
  dataDir: string;
  admin: { email: string; password: string; fromEnvironment: boolean };
  sessionDays: number;
  /** How long a server trusts credentials it has checked before checking them again (0: every request). */
  authCacheMs: number;
  /** Adds `Secure` to the session cookie (set it when the API is served over HTTPS). */
  secureCookies: boolean;
  /** Addresses whose X-Forwarded-For is believed (the web app, reverse proxies): see http/client-address.ts. */
  trustedProxies: string[];
  /**
   * Folders importDataset may read from (VAD_IMPORT_ROOTS); by default only `importRootFor(dataDir)`, which the
   * server creates at start.
   */
  importRoots: string[];
  /**
   * Origins (`https://host[:port]`) whose pages may call the API over HTTP with credentials, and open its
   * WebSocket (VAD_CORS_ORIGINS). Empty: no CORS headers at all.
   */
  corsOrigins: string[];
  /**
   * The web app's origins as browsers reach it (VAD_WEB_ORIGINS), let through the WebSocket's Origin check. Empty:
   * any port of the host name the socket was asked on, which is where the web app opens it by default.
   */
  webOrigins: string[];
  /**
   * The API's origin as clients reach it (VAD_PUBLIC_URL), for the absolute file URLs of answers to requests that
   * no trusted proxy forwarded with X-Forwarded-Host; null: the request's Host (http/public-origin.ts).
   */
  publicUrl: string | null;
  limits: Limits;
  /**
   * How long files nobody asked to keep stay on disk (jobs/file-expiry.ts): a zip sent to POST /uploads and never
   * imported (VAD_UPLOAD_RETENTION_HOURS, from its upload), an export's zip (VAD_EXPORT_RETENTION_HOURS, from
   * when it was made).
   */
  retention: { uploadMs: number; exportMs: number };
  worker: {
    /** How often a worker proves it still holds its run. */
    heartbeatMs: number;
    /** A run whose heartbeat is older than this has lost its worker and is retried. */
    staleMs: number;
    /** How often workers (and the server) look for such runs. */
    reapIntervalMs: number;
    /** Attempts per run before it is marked FAILED. */
    maxAttempts: number;
    pollIntervalSeconds: number;
  };
  /** Webhook deliveries (api/src/jobs/webhook-delivery-job.ts). */
  webhooks: {
    /** POSTs per (re)delivery before it is FAILED. */
    maxAttempts: number;
    /** Pause before the first retry; each next one waits about twice as long (pg-boss retryBackoff). */
    retryDelaySeconds: number;
    /** How long a receiver has to answer. */
    timeoutMs: number;
  };
}

/** VAD_IMPORT_ROOTS (`:`-separated absolute folders), or the data directory's import folder when unset or empty. */
function importRootsFromEnv(env: NodeJS.ProcessEnv, dataDir: string): string[] {
  const roots = (env.VAD_IMPORT_ROOTS ?? '').split(path.delimiter).filter((root) => root !== '');
  for (const root of roots) {
    if (!path.isAbsolute(root)) throw new EnvironmentError(`VAD_IMPORT_ROOTS: "${root}" is not an absolute path`);
  }
  return roots.length > 0 ? roots.map((root) => path.resolve(root)) : [importRootFor(dataDir)];
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 1): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new EnvironmentError(`${name}=${raw} is not an integer >= ${min}`);
  return value;
}

/** Reads an optional TCP port from the environment, naming the variable when the value is not a port. */
export function portFromEnv(name: string, env: NodeJS.ProcessEnv = process.env): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new EnvironmentError(`${name}=${raw} is not a TCP port (1-65535)`);
  }
  return port;
}

/** The default and suggested import folder: server-folder imports read nothing outside their roots. */
export function importRootFor(dataDir: string): string {
  return path.join(dataDir, 'imports');
}

/**
 * A `,`-separated list of origins (scheme, host and port, as browsers send them in `Origin`), each normalised
 * (lower case, default port left out); anything else names the variable and the value.
 */
export function originsFromEnv(name: string, env: NodeJS.ProcessEnv = process.env): string[] {
  return (env[name] ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry) => {
      let url: URL | undefined;
      try {
        url = new URL(entry);
      } catch {
        url = undefined;
      }
      const bare = url && url.username === '' && url.password === '' && url.search === '' && url.hash === '';
      if (!url || !bare || !['http:', 'https:'].includes(url.protocol) || url.pathname !== '/') {
        throw new EnvironmentError(
          `${name}: "${entry}" is not an origin (http:// or https://, a host and an optional port, nothing after it)`,
        );
      }
      return url.origin;
    });
}

/** VAD_PUBLIC_URL: one origin (`https://vad.example.org`), or null when unset. */
function publicUrlFromEnv(env: NodeJS.ProcessEnv): string | null {
  const origins = originsFromEnv('VAD_PUBLIC_URL', env);
  if (origins.length > 1) throw new EnvironmentError(`VAD_PUBLIC_URL: one origin, got ${origins.join(', ')}`);
  return origins[0] ?? null;
}

/** VAD_UPLOAD_RETENTION_HOURS unset: a day to import what was sent to POST /uploads. */
export const DEFAULT_UPLOAD_RETENTION_HOURS = 24;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const production = env.NODE_ENV === 'production';
  const email = env.VAD_ADMIN_EMAIL?.trim();
  const password = env.VAD_ADMIN_PASSWORD;
  if (production && (!email || !password)) {
    throw new EnvironmentError('NODE_ENV=production needs VAD_ADMIN_EMAIL and VAD_ADMIN_PASSWORD (the first admin)');
  }
  if (password !== undefined && password.length > 0 && password.length < 8) {
    throw new EnvironmentError('VAD_ADMIN_PASSWORD must be at least 8 characters');
  }
  const dataDir = path.resolve(env.VAD_DATA_DIR || path.join(REPO_ROOT, '.data', 'files'));
  return {
    production,
    port: integer(env, 'VAD_API_PORT', 4000, 0),
    dataDir,
    admin: {
      email: email || DEMO_ADMIN_EMAIL,
      password: password || DEMO_ADMIN_PASSWORD,
      fromEnvironment: Boolean(email && password),
    },
    sessionDays: integer(env, 'VAD_SESSION_DAYS', 14),
    authCacheMs: integer(env, 'VAD_AUTH_CACHE_MS', 5_000, 0),
    secureCookies: env.VAD_SECURE_COOKIES === '1' || (production && env.VAD_SECURE_COOKIES !== '0'),
    trustedProxies: env.VAD_TRUSTED_PROXIES
      ? env.VAD_TRUSTED_PROXIES.split(',')
          .map((address) => address.trim())
          .filter((address) => address !== '')
      : DEFAULT_TRUSTED_PROXIES,
    importRoots: importRootsFromEnv(env, dataDir),
    corsOrigins: originsFromEnv('VAD_CORS_ORIGINS', env),
    webOrigins: originsFromEnv('VAD_WEB_ORIGINS', env),
    publicUrl: publicUrlFromEnv(env),
    limits: {
      maxPageSize: integer(env, 'VAD_MAX_PAGE_SIZE', 100),
      maxQueryDepth: integer(env, 'VAD_MAX_QUERY_DEPTH', 12),
      maxQueryComplexity: integer(env, 'VAD_MAX_QUERY_COMPLEXITY', 20_000),
      maxGraphqlBodyBytes: integer(env, 'VAD_MAX_GRAPHQL_BODY_BYTES', 32 * 1024 * 1024),
      maxUploadBytes: integer(env, 'VAD_MAX_UPLOAD_BYTES', 2 * 1024 ** 3),
      maxUnzippedBytes: integer(env, 'VAD_MAX_UNZIPPED_BYTES', 8 * 1024 ** 3),
      maxZipEntries: integer(env, 'VAD_MAX_ZIP_ENTRIES', 100_000),
      maxImagePixels: integer(env, 'VAD_MAX_IMAGE_PIXELS', 50_000_000),
      maxMaskBytes: integer(env, 'VAD_MAX_MASK_BYTES', 16 * 1024 * 1024),
    },
    retention: {
      uploadMs: integer(env, 'VAD_UPLOAD_RETENTION_HOURS', DEFAULT_UPLOAD_RETENTION_HOURS) * 3_600_000,
      exportMs: integer(env, 'VAD_EXPORT_RETENTION_HOURS', 7 * 24) * 3_600_000,
    },
    worker: {
      heartbeatMs: integer(env, 'VAD_WORKER_HEARTBEAT_MS', 5_000),
      staleMs: integer(env, 'VAD_WORKER_STALE_MS', 60_000),
      reapIntervalMs: integer(env, 'VAD_WORKER_REAP_MS', 10_000),
      maxAttempts: integer(env, 'VAD_RUN_MAX_ATTEMPTS', 3),
      pollIntervalSeconds: integer(env, 'VAD_WORKER_POLL_SECONDS', 2),
    },
    webhooks: {
      maxAttempts: integer(env, 'VAD_WEBHOOK_MAX_ATTEMPTS', 8),
      retryDelaySeconds: integer(env, 'VAD_WEBHOOK_RETRY_SECONDS', 30),
      timeoutMs: integer(env, 'VAD_WEBHOOK_TIMEOUT_MS', 10_000),
    },
  };
}
