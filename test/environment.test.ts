// Bad environments get one clear line and a non-zero exit, before any slow work starts.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { freePort } from '@vad/api';

const ROOT = path.resolve(__dirname, '..');
const scratch = mkdtempSync(path.join(os.tmpdir(), 'vad-env-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

interface Outcome {
  status: number | null;
  stderr: string;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Outcome {
  const result = spawnSync(command, args, { cwd: ROOT, env, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stderr: result.stderr.trim() };
}

/**
 * Free ports for the API and the web app, and a database folder of its own, so that a platform already running
 * here changes nothing (npm start refuses a second start on the same data folders).
 */
let platformPorts: NodeJS.ProcessEnv = {};
before(async () => {
  platformPorts = {
    VAD_API_PORT: String(await freePort()),
    VAD_WEB_PORT: String(await freePort()),
    VAD_DB_DIR: path.join(scratch, 'postgres'),
  };
});

function startEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...process.env, ...platformPorts, ...extra };
}

function withoutDatabaseUrl(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env = startEnv(extra);
  delete env.DATABASE_URL;
  return env;
}

/** A PATH of every program this machine has, except the ones named. */
function pathWithout(...programs: string[]): string {
  const dir = mkdtempSync(path.join(scratch, 'bin-'));
  for (const source of ['/usr/local/bin', '/usr/bin', '/bin']) {
    for (const name of readdirSync(source)) {
      if (programs.includes(name) || name === 'node') continue;
      try {
        symlinkSync(path.join(source, name), path.join(dir, name));
      } catch {
        // an earlier folder already provided this name
      }
    }
  }
  symlinkSync(process.execPath, path.join(dir, 'node'));
  return dir;
}

describe('set-up', () => {
  it('refuses a Node older than 20', () => {
    const dir = mkdtempSync(path.join(scratch, 'old-node-'));
    const fake = path.join(dir, 'node');
    writeFileSync(fake, '#!/bin/sh\nif [ "$1" = "-p" ]; then echo 18; else echo v18.19.0; fi\n');
    chmodSync(fake, 0o755);
    const outcome = run('bash', ['scripts/setup.sh'], { ...process.env, PATH: `${dir}:${process.env.PATH}` });
    assert.notEqual(outcome.status, 0);
    assert.equal(outcome.stderr, 'setup: Node.js 20 or newer is required, found v18.19.0');
  });

  it('names the three ways to get LibTorch when none is found and apt is missing', () => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PATH: pathWithout('apt-get', 'apt', 'python3'),
      VAD_TORCH_SEARCH: 'explicit',
    };
    delete env.LIBTORCH;
    delete env.Torch_DIR;
    const outcome = run('bash', ['scripts/setup.sh'], env);
    assert.notEqual(outcome.status, 0);
    assert.equal(outcome.stderr.split('\n').length, 1, outcome.stderr);
    assert.match(outcome.stderr, /^setup: LibTorch not found\. Set LIBTORCH .* Python torch .* libtorch-dev/);
  });
});

describe('start', () => {
  const start = ['--import', 'tsx', 'scripts/start.ts'];

  it('says which DATABASE_URL cannot be reached', () => {
    const outcome = run(
      process.execPath,
      start,
      startEnv({ DATABASE_URL: 'postgresql://vad:vad@127.0.0.1:1/nowhere' }),
    );
    assert.equal(outcome.status, 1);
    assert.equal(
      outcome.stderr,
      'error: DATABASE_URL points to 127.0.0.1:1/nowhere, which cannot be used (ECONNREFUSED)',
    );
  });

  it('rejects a DATABASE_URL that is not a postgres URL', () => {
    const outcome = run(process.execPath, start, startEnv({ DATABASE_URL: 'mysql://localhost/x' }));
    assert.equal(outcome.status, 1);
    assert.equal(outcome.stderr, 'error: DATABASE_URL must start with postgres:// or postgresql://, got mysql://');
  });

  it('says which port is in use', async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    try {
      const outcome = run(process.execPath, start, withoutDatabaseUrl({ VAD_DB_PORT: String(port) }));
      assert.equal(outcome.status, 1);
      assert.equal(outcome.stderr, `error: port ${port} (VAD_DB_PORT) is in use: free it or pick another port`);
    } finally {
      server.close();
    }
  });

  it('says when the API port is taken', async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    try {
      const outcome = run(process.execPath, start, withoutDatabaseUrl({ VAD_API_PORT: String(port) }));
      assert.equal(outcome.status, 1);
      assert.equal(outcome.stderr, `error: port ${port} (VAD_API_PORT) is in use: free it or set VAD_API_PORT`);
    } finally {
      server.close();
    }
  });

  it('rejects a port that is not a number', () => {
    const outcome = run(process.execPath, start, withoutDatabaseUrl({ VAD_DB_PORT: 'http' }));
    assert.equal(outcome.status, 1);
    assert.equal(outcome.stderr, 'error: VAD_DB_PORT=http is not a TCP port (1-65535)');
  });
});
