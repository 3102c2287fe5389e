// Bad environments get one clear line and a non-zero exit, before any slow work starts; and set-up installs what
// the tests use.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { freePort } from '@vad/api';
import { FASHION_MNIST_DIR } from '@vad/models/src/datasets/fashion-mnist';

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

  // A fresh machine once failed `npm test`: the PyTorch reference needed python3-torch, which set-up never
  // installed, and this machine had it from elsewhere. So every file the tests use from the system is traced to
  // the Debian package that holds it, which must be one `setup.sh --test` installs or one those depend on.
  it('installs every system package the tests use (Debian)', (t) => {
    if (spawnSync('dpkg-query', ['--version']).status !== 0) return t.skip('not a Debian system: no dpkg-query');
    const needs = new Map<string, string>([
      ['/usr/bin/python3', 'the Python references of native/test and api/examples'],
      ['/usr/bin/chromium', 'the web e2e tests (web/test/support/browser.ts)'],
      ['/usr/bin/clang-format', 'the C++ style check of npm run lint'],
      ['/usr/bin/docker-compose', 'test/docker.test.ts'],
      ['/usr/bin/cmake', "the native addon's build"],
      ['/usr/bin/make', "the native addon's build"],
      ['/usr/bin/g++', "the native addon's build"],
      [`${FASHION_MNIST_DIR}/t10k-images-idx3-ubyte.gz`, 'the Fashion-MNIST tests and the demo dataset'],
    ]);
    const torch = spawnSync('bash', ['native/scripts/find-libtorch.sh'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(torch.status, 0, torch.stderr);
    needs.set(path.join(torch.stdout.trim(), 'TorchConfig.cmake'), 'LibTorch, for the native addon');
    // Every module the Python files that tests run import, found by the Python they run with.
    const scripts = ['native/bench/reference.py', 'native/test/fixtures/metrics_reference.py'];
    const modules = new Set(
      scripts.flatMap((script) =>
        [...readFileSync(path.join(ROOT, script), 'utf8').matchAll(/^(?:import|from) (\w+)/gm)].map((m) => m[1]!),
      ),
    );
    assert.ok(modules.has('torch') && modules.has('sklearn'), [...modules].join(' '));
    const found = spawnSync(
      '/usr/bin/python3',
      [
        '-c',
        'import importlib, sys\nfor m in sys.argv[1:]: print(m, getattr(importlib.import_module(m), "__file__", ""))',
        ...modules,
      ],
      { encoding: 'utf8' },
    );
    assert.equal(found.status, 0, `a module the tests import is missing: ${found.stderr}`);
    const lines = found.stdout.trim().split('\n');
    assert.equal(lines.length, modules.size, found.stdout);
    for (const line of lines) {
      const [name, file] = line.split(' ');
      // Modules built into the interpreter have no file: python3 brings them.
      if (file) needs.set(file, `Python's ${name}, imported by ${scripts.join(' or ')}`);
    }

    const owners = new Map<string, string>();
    for (const [file, why] of needs) {
      const owner = spawnSync('dpkg', ['-S', realpathSync(file)], { encoding: 'utf8' });
      assert.equal(owner.status, 0, `${file} (${why}) belongs to no Debian package: set-up would not install it`);
      owners.set(owner.stdout.split(':')[0]!.split(',')[0]!.trim(), `${file}, for ${why}`);
    }

    const setup = readFileSync(path.join(ROOT, 'scripts/setup.sh'), 'utf8');
    const installed = [
      ...[...setup.matchAll(/apt_packages\+?=\(([^)]*)\)/g)].flatMap((m) => m[1]!.split(/\s+/)),
      ...[...setup.matchAll(/^\s*apt_install ([\w.+-]+)/gm)].map((m) => m[1]!),
    ].filter(Boolean);
    assert.ok(installed.includes('chromium') && installed.includes('libtorch-dev'), installed.join(' '));
    // What those packages bring: their dependencies, transitively, among the packages installed here.
    const listing = spawnSync('dpkg-query', ['-W', '-f', '${Package}\t${Depends}, ${Pre-Depends}\t${Provides}\n'], {
      encoding: 'utf8',
      maxBuffer: 64 * 2 ** 20,
    }).stdout;
    const depends = new Map<string, string[][]>();
    const providers = new Map<string, string[]>();
    const bare = (spec: string) => spec.trim().split(/[\s(:]/)[0]!;
    for (const line of listing.split('\n').filter(Boolean)) {
      const [name = '', deps = '', provides = ''] = line.split('\t');
      depends.set(
        name,
        deps.split(',').map((alternatives) => alternatives.split('|').map(bare).filter(Boolean)),
      );
      for (const virtual of provides.split(',').map(bare).filter(Boolean))
        providers.set(virtual, [...(providers.get(virtual) ?? []), name]);
    }
    const brought = new Set<string>();
    const queue = [...installed];
    while (queue.length > 0) {
      const name = queue.pop()!;
      for (const real of depends.has(name) ? [name] : (providers.get(name) ?? [])) {
        if (brought.has(real)) continue;
        brought.add(real);
        // Of alternatives, whichever is installed here counts.
        for (const alternatives of depends.get(real) ?? []) queue.push(...alternatives);
      }
    }
    const missing = [...owners].filter(([owner]) => !brought.has(owner));
    assert.deepEqual(
      missing.map(([owner, what]) => `${owner} (${what})`),
      [],
      'packages the tests use that scripts/setup.sh --test does not install',
    );
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
