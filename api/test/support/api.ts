import 'reflect-metadata';

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { PrismaClient, Role } from '@prisma/client';

import { createApp, type App } from '../../src/app';
import { hashPassword } from '../../src/auth/password';
import { loadConfig, type Config } from '../../src/config';
import { isolatedDatabase } from './database';

export interface GraphqlAnswer<T = Record<string, unknown>> {
  status: number;
  data: T | null | undefined;
  errors: { message: string; path?: string[]; extensions?: Record<string, unknown> }[] | undefined;
  headers: Headers;
}

/** How a test request proves who it is. */
export type Credentials = { cookie: string } | { apiKey: string } | null;

export interface TestUser {
  id: string;
  email: string;
  password: string;
  role: Role;
  cookie: string;
}

export interface TestApi {
  app: App;
  config: Config;
  prisma: PrismaClient;
  databaseUrl: string;
  url: string;
  dataDir: string;
  gql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    credentials?: Credentials,
  ): Promise<GraphqlAnswer<T>>;
  /** gql that fails the test on any error, returning data. */
  ok<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    credentials?: Credentials,
  ): Promise<T>;
  login(email: string, password: string): Promise<string>;
  /** A user of that role, created directly in the database and signed in. */
  user(role: Role, name?: string): Promise<TestUser>;
  close(): Promise<void>;
}

// scrypt is deliberately slow: hash the test password once per process.
let passwordHash: Promise<string> | undefined;
const PASSWORD = 'correct horse battery';

export function headersFor(credentials: Credentials | undefined): Record<string, string> {
  if (!credentials) return {};
  if ('cookie' in credentials) return { cookie: credentials.cookie };
  return { authorization: `Bearer ${credentials.apiKey}` };
}

export async function startTestApi(
  name: string,
  configure: (config: Config) => void = () => {},
  options: { onQuery?: (sql: string) => void } = {},
): Promise<TestApi> {
  const databaseUrl = await isolatedDatabase(name);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), `vad-api-${name}-`));
  // Fixtures are written under the system's temporary folder: imports may read there (the default root, under
  // the data directory, has tests of its own).
  const config = loadConfig({ VAD_DATA_DIR: dataDir, VAD_API_PORT: '0', VAD_IMPORT_ROOTS: os.tmpdir() });
  configure(config);
  const app = await createApp({ config, databaseUrl, log: () => {}, ...options });
  const port = await app.listen(0);
  const url = `http://127.0.0.1:${port}`;
  const prisma = app.services.prisma;
  let users = 0;

  const gql: TestApi['gql'] = async (query, variables, credentials) => {
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headersFor(credentials) },
      body: JSON.stringify({ query, variables }),
    });
    const text = await response.text();
    let body: { data?: unknown; errors?: GraphqlAnswer['errors'] };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      throw new Error(`non-JSON answer (${response.status}): ${text.slice(0, 500)}`);
    }
    return {
      status: response.status,
      data: body.data as never,
      errors: body.errors,
      headers: response.headers,
    };
  };

  const ok: TestApi['ok'] = async (query, variables, credentials) => {
    const answer = await gql(query, variables, credentials);
    if (answer.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(answer.errors, null, 2)}`);
    return answer.data as never;
  };

  const login = async (email: string, password: string): Promise<string> => {
    const answer = await gql('mutation($e: String!, $p: String!) { login(email: $e, password: $p) { user { id } } }', {
      e: email,
      p: password,
    });
    if (answer.errors?.length) throw new Error(`login failed: ${answer.errors[0]!.message}`);
    const cookie = answer.headers.get('set-cookie');
    if (!cookie) throw new Error('login set no cookie');
    return cookie.split(';')[0]!;
  };

  return {
    app,
    config,
    prisma,
    databaseUrl,
    url,
    dataDir,
    gql,
    ok,
    login,
    user: async (role, label) => {
      passwordHash ??= hashPassword(PASSWORD);
      users += 1;
      const email = `${label ?? role.toLowerCase()}-${users}@test.local`;
      const created = await prisma.user.create({
        data: { email, name: label ?? role, role, passwordHash: await passwordHash },
      });
      return { id: created.id, email, password: PASSWORD, role, cookie: await login(email, PASSWORD) };
    },
    close: async () => {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
