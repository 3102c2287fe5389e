// The embedded PostgreSQL of `npm start` is started again when it dies (killed, the OOM killer, a crash): it runs
// in a session of its own (so that a Ctrl-C cannot end it before the workers hand their runs back), so it is no
// child the supervisor sees exit, and its postmaster.pid is watched instead. A server that died is started again
// on the same port, which every child's DATABASE_URL names; PostgreSQL replays its write-ahead log, so every
// committed transaction is there. Then the API and the worker are restarted, so that no connection, listener or
// half-done job of the dead server is left (the worker hands its run back and the new one resumes it from its
// checkpoint). A server that will not start again, or dies again and again, is not restarted for ever: the
// supervisor then stops everything and exits non-zero, for an outer supervisor (systemd, Docker) to take over.
import { runningServer } from '@vad/api/src/db/embedded';

/** Tries to start a dead server before giving up, waiting 1, 2, 4, 8 s between them. */
const START_ATTEMPTS = 5;
/** More deaths than this within DEATH_WINDOW_MS: something is wrong that restarting will not mend. */
const MAX_DEATHS = 5;
const DEATH_WINDOW_MS = 10 * 60_000;
const CHECK_MS = 1_000;

export interface DatabaseWatch {
  stop(): void;
  /** The restart under way, if any (a stop waits for it, then stops the server it started). */
  readonly restarting: Promise<void> | null;
}

export function watchDatabase(options: {
  dataDir: string;
  port: number;
  /** Starts the server again on `port` (the same call that started it first). */
  start: () => Promise<void>;
  /** After a restart: the children start over on the new server. */
  restarted: () => Promise<void>;
  /** It could not be kept running: stop everything and exit non-zero. */
  giveUp: (why: string) => void;
  isStopping: () => boolean;
  log: (line: string) => void;
}): DatabaseWatch {
  const { dataDir, port, log } = options;
  let pid = runningServer(dataDir)?.pid ?? null;
  const deaths: number[] = [];
  let restarting: Promise<void> | null = null;

  const restart = async (deadPid: number | null) => {
    const now = Date.now();
    deaths.push(now);
    while (deaths.length > 0 && deaths[0]! < now - DEATH_WINDOW_MS) deaths.shift();
    if (deaths.length > MAX_DEATHS) {
      options.giveUp(
        `the embedded PostgreSQL stopped ${deaths.length} times within ${DEATH_WINDOW_MS / 60_000} minutes ` +
          `(see ${dataDir}/server.log)`,
      );
      return;
    }
    log(
      `the embedded PostgreSQL${deadPid ? ` (pid ${deadPid})` : ''} stopped unexpectedly: starting it again on ` +
        `port ${port}`,
    );
    let lastError = '';
    for (let attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
      if (options.isStopping()) return;
      try {
        await options.start();
        pid = runningServer(dataDir)?.pid ?? null;
        log(`the embedded PostgreSQL is back on port ${port} (pid ${pid}): restarting the API and the worker`);
        await options.restarted();
        return;
      } catch (error) {
        lastError = (error as Error).message;
        log(`the embedded PostgreSQL did not start (attempt ${attempt} of ${START_ATTEMPTS}): ${lastError}`);
        if (attempt < START_ATTEMPTS) await new Promise((resolve) => setTimeout(resolve, 1_000 * 2 ** (attempt - 1)));
      }
    }
    options.giveUp(`the embedded PostgreSQL could not be started again: ${lastError}`);
  };

  const timer = setInterval(() => {
    if (restarting || options.isStopping()) return;
    // null once the postmaster is gone (a stale postmaster.pid is removed on the way).
    const running = runningServer(dataDir);
    if (running) {
      pid = running.pid;
      return;
    }
    restarting = restart(pid).finally(() => {
      restarting = null;
    });
  }, CHECK_MS);
  timer.unref();
  return {
    stop: () => clearInterval(timer),
    get restarting() {
      return restarting;
    },
  };
}
