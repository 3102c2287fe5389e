// The embedded PostgreSQL across starts (issue 12): it keeps its port, refuses a folder in use, recovers by itself
// from what a crashed start leaves (a server whose owner is gone, a postmaster.pid naming another program), and a
// server that does not start is reported in its own words (it was `TypeError: Cannot read properties of undefined
// (reading 'message')`).
import assert from 'node:assert/strict';
import { readFileSync, rmSync, mkdtempSync, writeFileSync, appendFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';

import pg from 'pg';

import { startDatabase, type Database } from '../../src/db/database';
import { readServerState, runningServer, SERVER_STATE_FILE, stopServerProcess } from '../../src/db/embedded';
import { EnvironmentError } from '../../src/db/errors';
import { parseDatabaseUrl } from '../../src/db/pg-adapter';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'vad-embedded-'));
const dataDir = path.join(scratch, 'postgres');
const lines: string[] = [];
const log = (line: string) => lines.push(line);

after(async () => {
  await stopServerProcess(dataDir).catch(() => {});
  rmSync(scratch, { recursive: true, force: true });
});

async function answers(database: Database): Promise<void> {
  const client = new pg.Client(parseDatabaseUrl(database.url));
  await client.connect();
  try {
    assert.equal((await client.query('SELECT 1 AS one')).rows[0].one, 1);
  } finally {
    await client.end();
  }
}

const portOf = (database: Database) => Number(new URL(database.url).port);

describe('embedded PostgreSQL', () => {
  let firstPort = 0;

  it('keeps its port across starts, kept in the cluster folder', async () => {
    const first = await startDatabase({ dataDir, database: 'vad', log });
    firstPort = portOf(first);
    await answers(first);
    await first.stop();
    const second = await startDatabase({ dataDir, database: 'vad', log });
    assert.equal(portOf(second), firstPort);
    assert.equal(readServerState(dataDir).port, firstPort);
    await second.stop();
  });

  it('refuses a cluster whose server is in use by a live process', async () => {
    const first = await startDatabase({ dataDir, database: 'vad', log });
    try {
      await assert.rejects(startDatabase({ dataDir, database: 'vad', log }), (error: Error) => {
        assert.ok(error instanceof EnvironmentError);
        assert.match(
          error.message,
          new RegExp(`is in use by process ${process.pid} \\(another npm start or npm test\\)`),
        );
        return true;
      });
    } finally {
      await first.stop();
    }
  });

  it('stops and starts again a server whose owner died, on the same port', async () => {
    const orphan = await startDatabase({ dataDir, database: 'vad', log });
    const pid = runningServer(dataDir)?.pid;
    // What a SIGKILLed npm start leaves: the server runs, its recorded owner is gone.
    const state = JSON.parse(readFileSync(path.join(dataDir, SERVER_STATE_FILE), 'utf8'));
    state.owner = { pid: 2 ** 22 + 1, startTime: '1' };
    writeFileSync(path.join(dataDir, SERVER_STATE_FILE), JSON.stringify(state));
    lines.length = 0;
    const again = await startDatabase({ dataDir, database: 'vad', log });
    assert.ok(
      lines.some((line) => line.includes(`Stopping the embedded PostgreSQL (pid ${pid})`)),
      lines.join('\n'),
    );
    assert.equal(portOf(again), portOf(orphan));
    assert.notEqual(runningServer(dataDir)?.pid, pid);
    await answers(again);
    await again.stop();
  });

  it('removes a postmaster.pid that names another program (a pid reused after a crash)', async () => {
    // This test process stands for the program that got the dead server's pid.
    writeFileSync(path.join(dataDir, 'postmaster.pid'), `${process.pid}\n${dataDir}\n0\n${firstPort}\n`);
    lines.length = 0;
    const database = await startDatabase({ dataDir, database: 'vad', log });
    assert.ok(
      lines.some((line) => line.includes('Removing a stale postmaster.pid')),
      lines.join('\n'),
    );
    await answers(database);
    await database.stop();
  });

  it('takes another port when another program holds the kept one, and keeps that', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(firstPort, '127.0.0.1', resolve));
    try {
      lines.length = 0;
      const database = await startDatabase({ dataDir, database: 'vad', log });
      assert.notEqual(portOf(database), firstPort);
      assert.equal(readServerState(dataDir).port, portOf(database));
      assert.ok(lines.some((line) => line.includes(`Port ${firstPort} of the embedded PostgreSQL is taken`)));
      await database.stop();
    } finally {
      blocker.close();
    }
  });

  it("names the server's own reason when it does not start", async () => {
    const conf = path.join(dataDir, 'postgresql.auto.conf');
    const before = readFileSync(conf, 'utf8');
    appendFileSync(conf, "shared_buffers = 'plenty'\n");
    try {
      await assert.rejects(startDatabase({ dataDir, database: 'vad', log }), (error: Error) => {
        assert.ok(error instanceof EnvironmentError, String(error));
        assert.match(error.message, /did not start on port \d+: .*shared_buffers/);
        return true;
      });
      assert.equal(runningServer(dataDir), null);
    } finally {
      writeFileSync(conf, before);
    }
  });
});
