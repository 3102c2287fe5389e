// Set-up for e2e tests that need finished runs: a texture dataset imported and tiny runs trained through the API
// (what the platform test does through the pages), then a browser session for the admin.
import assert from 'node:assert/strict';
import path from 'node:path';

import type { Page } from 'playwright-core';

import { makeTextureDataset } from './dataset';
import { ADMIN, type Stack } from './stack';

/** The API directly, as the signed-in user of `cookie`. */
export async function apiRequest<T>(
  stack: Stack,
  query: string,
  variables: Record<string, unknown>,
  cookie: string,
): Promise<T> {
  const response = await fetch(`${stack.apiUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: { message: string }[] };
  if (body.errors?.length) throw new Error(`API: ${body.errors.map((error) => error.message).join('; ')}`);
  return body.data as T;
}

/** A user's session cookie (`name=value`). */
export async function sessionCookie(stack: Stack, email: string, password: string): Promise<string> {
  const response = await fetch(`${stack.apiUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query: 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { user { id } } }',
      variables: { e: email, p: password },
    }),
  });
  const cookie = response.headers.get('set-cookie');
  assert.ok(cookie, `signing ${email} in set no cookie`);
  return cookie.split(';')[0]!;
}

/** The admin's session cookie (`name=value`). */
export async function adminCookie(stack: Stack): Promise<string> {
  return sessionCookie(stack, ADMIN.email, ADMIN.password);
}

/** Imports the texture dataset (26 images, 12 anomalous with masks) from the stack's scratch folder. */
export async function importTextures(stack: Stack, cookie: string, name = 'textures'): Promise<string> {
  const data = await makeTextureDataset(path.join(stack.scratch, name));
  const { importDataset } = await apiRequest<{ importDataset: { id: string } }>(
    stack,
    'mutation($input: ImportDatasetInput!) { importDataset(input: $input) { id } }',
    { input: { path: data.root, name } },
    cookie,
  );
  return importDataset.id;
}

/** Starts a run of the TINY preset with these options. */
export async function startTinyRun(
  stack: Stack,
  cookie: string,
  datasetId: string,
  name: string,
  options: Record<string, unknown>,
): Promise<string> {
  const { startRun } = await apiRequest<{ startRun: { id: string } }>(
    stack,
    'mutation($input: StartRunInput!) { startRun(input: $input) { id } }',
    { input: { datasetId, name, preset: 'TINY', ...options } },
    cookie,
  );
  return startRun.id;
}

/** Waits until the run has succeeded and its first evaluation too; fails on a run or evaluation that failed. */
export async function waitForEvaluatedRun(stack: Stack, cookie: string, runId: string, timeoutMs = 180_000) {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    const { run } = await apiRequest<{
      run: { status: string; error: string | null; evaluations: { status: string; error: string | null }[] };
    }>(stack, 'query($id: ID!) { run(id: $id) { status error evaluations { status error } } }', { id: runId }, cookie);
    last = `${run.status} (${run.evaluations.map((evaluation) => evaluation.status).join(', ')})`;
    if (run.status === 'FAILED' || run.status === 'CANCELLED') throw new Error(`run ${runId} ${last}: ${run.error}`);
    const evaluation = run.evaluations[0];
    if (evaluation?.status === 'FAILED') throw new Error(`evaluation of run ${runId} failed: ${evaluation.error}`);
    if (run.status === 'SUCCEEDED' && evaluation?.status === 'SUCCEEDED') return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`run ${runId} not evaluated within ${timeoutMs} ms: last ${last}`);
}

/** Signs the admin in through the sign-in page, as a person does. */
export async function signInAdmin(page: Page, webUrl: string): Promise<void> {
  await page.goto(`${webUrl}/sign-in`);
  await page.fill('input[name=email]', ADMIN.email);
  await page.fill('input[name=password]', ADMIN.password);
  await page.click('button[type=submit]');
  await page.waitForURL('**/datasets');
}
