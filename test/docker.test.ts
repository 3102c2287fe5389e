// The deployment files parse and build from what the repository holds (no Docker engine runs here).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

const ROOT = path.resolve(__dirname, '..');
const DOCKER = path.join(ROOT, 'docker');

/** `docker compose` (v2 plugin) where installed, else Debian's docker-compose; both parse without an engine. */
function composeCommand(): string[] {
  if (spawnSync('docker', ['compose', 'version']).status === 0) return ['docker', 'compose'];
  if (spawnSync('docker-compose', ['version']).status === 0) return ['docker-compose'];
  throw new Error('neither `docker compose` nor `docker-compose` is installed (npm test installs docker-compose)');
}

/** Joins continuation lines and returns each instruction with its arguments. */
function instructions(dockerfile: string): { keyword: string; args: string }[] {
  return readFileSync(dockerfile, 'utf8')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const [keyword = '', ...rest] = line.split(/\s+/);
      return { keyword: keyword.toUpperCase(), args: rest.join(' ') };
    });
}

describe('docker', () => {
  it('compose.yml parses with the example environment', () => {
    const [command = '', ...prefix] = composeCommand();
    const result = spawnSync(
      command,
      [...prefix, '-f', 'docker/compose.yml', '--env-file', 'docker/.env.example', 'config', '--quiet'],
      { cwd: ROOT, encoding: 'utf8' },
    );
    assert.equal(result.status, 0, result.stderr);
  });

  it('compose.yml refuses to start without the secrets', () => {
    const [command = '', ...prefix] = composeCommand();
    const env = { ...process.env };
    delete env.POSTGRES_PASSWORD;
    const result = spawnSync(command, [...prefix, '-f', 'docker/compose.yml', 'config', '--quiet'], {
      cwd: ROOT,
      encoding: 'utf8',
      env,
    });
    assert.notEqual(result.status, 0);
    assert.match(result.stderr, /set POSTGRES_PASSWORD in docker\/\.env/);
  });

  const dockerfiles = readdirSync(DOCKER).filter((name) => name.endsWith('.Dockerfile'));

  it('has a Dockerfile for every service built from the repository', () => {
    const compose = readFileSync(path.join(DOCKER, 'compose.yml'), 'utf8');
    const referenced = [...compose.matchAll(/dockerfile:\s*docker\/(\S+)/g)].map((match) => match[1]);
    assert.ok(referenced.length > 0);
    for (const name of referenced) assert.ok(dockerfiles.includes(name ?? ''), `${name} is missing`);
  });

  for (const name of dockerfiles) {
    it(`${name} copies only files that exist`, () => {
      const copies = instructions(path.join(DOCKER, name)).filter(
        (step) => step.keyword === 'COPY' && !step.args.startsWith('--from'),
      );
      assert.ok(copies.length > 0);
      for (const { args } of copies) {
        const parts = args.split(/\s+/);
        for (const source of parts.slice(0, -1)) {
          assert.ok(existsSync(path.join(ROOT, source)), `${name}: COPY ${source} does not exist`);
        }
      }
    });
  }
});
