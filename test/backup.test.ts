// `npm run backup` and `npm run restore` (issue 12): a round trip brings back the rows and the stored files. The
// backup is taken while a writer commits rows one by one, and the restored rows are exactly a prefix of what it
// wrote (a consistent snapshot); restore refuses a running platform and keeps what it replaces.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import pg from 'pg';

import { startDatabase, type Database } from '@vad/api/src/db/database';
import { parseDatabaseUrl } from '@vad/api/src/db/pg-adapter';
import { currentProcess } from '@vad/api/src/db/processes';

const ROOT = path.resolve(__dirname, '..');
const scratch = mkdtempSync(path.join(os.tmpdir(), 'vad-backup-'));
const databaseDir = path.join(scratch, 'postgres');
const filesDir = path.join(scratch, 'files');
const env: NodeJS.ProcessEnv = { ...process.env, VAD_DB_DIR: databaseDir, VAD_DATA_DIR: filesDir };
delete env.DATABASE_URL;

/** Stored files as the platform keeps them; the cache holds derived images only and is not backed up. */
const FILES: Record<string, string> = {
  'objects/ab/ab12': 'an image',
  'objects/cd/cd34': 'a mask',
  'runs/run-1/out/checkpoint.bin': 'weights',
};

interface Outcome {
  code: number;
  output: string;
}

/** The command line as an operator types it (async: this process also owns the database being backed up). */
function npmRun(script: string, argument: string): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile('npm', ['run', '--silent', script, '--', argument], { cwd: ROOT, env }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code) : 0, output: `${stdout}${stderr}` });
    });
  });
}

async function query<T extends pg.QueryResultRow>(database: Database, sql: string): Promise<T[]> {
  const client = new pg.Client(parseDatabaseUrl(database.url));
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

function storedFiles(): Record<string, string> {
  const found: Record<string, string> = {};
  const walk = (dir: string, prefix: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(path.join(dir, entry.name), relative);
      else found[relative] = readFileSync(path.join(dir, entry.name), 'utf8');
    }
  };
  if (existsSync(filesDir)) walk(filesDir, '');
  return found;
}

function wipe(): void {
  rmSync(databaseDir, { recursive: true, force: true });
  rmSync(filesDir, { recursive: true, force: true });
}

let database: Database | undefined;

before(async () => {
  for (const [relative, content] of Object.entries({ ...FILES, 'cache/ab/thumb.png': 'derived' })) {
    mkdirSync(path.dirname(path.join(filesDir, relative)), { recursive: true });
    writeFileSync(path.join(filesDir, relative), content);
  }
  database = await startDatabase({ dataDir: databaseDir, database: 'vad' });
  await query(database, 'CREATE TABLE saved (id integer PRIMARY KEY, note text NOT NULL)');
});

after(async () => {
  await database?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

describe('backup and restore', () => {
  const folder = path.join(scratch, 'backups', 'hot');
  let committedBefore = 0;

  it('backs up a running database while rows are being written', async () => {
    const running = database as Database;
    const writer = new pg.Client(parseDatabaseUrl(running.url));
    await writer.connect();
    let next = 1;
    let writing = true;
    const writes = (async () => {
      while (writing) {
        await writer.query('INSERT INTO saved (id, note) VALUES ($1, $2)', [next, `row ${next}`]);
        next += 1;
      }
    })();
    while (next < 50) await new Promise((resolve) => setTimeout(resolve, 20));
    committedBefore = next - 1;
    const outcome = await npmRun('backup', folder);
    writing = false;
    await writes;
    await writer.end();
    assert.equal(outcome.code, 0, outcome.output);
    assert.match(outcome.output, /Backup written to .* 3 stored file\(s\)/);
    const manifest = JSON.parse(readFileSync(path.join(folder, 'manifest.json'), 'utf8'));
    assert.equal(manifest.format, 'vad-backup');
    assert.equal(manifest.postgres.majorVersion, 18);
    assert.equal(existsSync(path.join(folder, 'files', 'cache')), false, 'the cache of derived images is left out');
  });

  it('refuses to restore while the platform runs', async () => {
    // This process owns the running database, as npm start would.
    const inUse = await npmRun('restore', folder);
    assert.equal(inUse.code, 1);
    assert.match(
      inUse.output,
      /error: the embedded PostgreSQL in .* is in use by process \d+ .*stop it before restoring/,
    );
    const stateFile = path.join(scratch, 'supervisor.json');
    writeFileSync(stateFile, JSON.stringify({ supervisor: currentProcess(), children: {} }));
    try {
      const running = await npmRun('restore', folder);
      assert.equal(running.code, 1);
      assert.match(running.output, /error: the platform is running \(npm start, process \d+\): stop it/);
    } finally {
      rmSync(stateFile);
    }
  });

  it('restores rows and files after everything was wiped', async () => {
    await database?.stop();
    database = undefined;
    wipe();
    const outcome = await npmRun('restore', folder);
    assert.equal(outcome.code, 0, outcome.output);
    database = await startDatabase({ dataDir: databaseDir, database: 'vad' });
    const rows = await query<{ id: number; note: string }>(database, 'SELECT id, note FROM saved ORDER BY id');
    // What was committed before the backup began is there, and what follows is a gap-free prefix of the writes.
    assert.ok(rows.length >= committedBefore, `${rows.length} rows restored, ${committedBefore} committed before`);
    rows.forEach((row, index) => assert.deepEqual(row, { id: index + 1, note: `row ${index + 1}` }));
    assert.deepEqual(storedFiles(), FILES);
  });

  it('round-trips through a .tar.gz of a stopped platform, keeping what the restore replaces', async () => {
    const running = database as Database;
    await query(running, "INSERT INTO saved (id, note) VALUES (100000, 'the last one')");
    const expected = await query(running, 'SELECT id, note FROM saved ORDER BY id');
    await running.stop();
    database = undefined;
    const archive = path.join(scratch, 'backups', 'cold.tar.gz');
    const backedUp = await npmRun('backup', archive);
    assert.equal(backedUp.code, 0, backedUp.output);

    // Something else in place of the data: the restore moves it aside instead of deleting it.
    wipe();
    mkdirSync(filesDir, { recursive: true });
    writeFileSync(path.join(filesDir, 'newer'), 'kept');
    const restored = await npmRun('restore', archive);
    assert.equal(restored.code, 0, restored.output);
    const kept = readdirSync(scratch).find((name) => name.startsWith('files.before-restore-'));
    assert.ok(kept, restored.output);
    assert.equal(readFileSync(path.join(scratch, kept, 'newer'), 'utf8'), 'kept');

    database = await startDatabase({ dataDir: databaseDir, database: 'vad' });
    assert.deepEqual(await query(database, 'SELECT id, note FROM saved ORDER BY id'), expected);
    assert.deepEqual(storedFiles(), FILES);
  });
});
