import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';

import { EnvironmentError } from '../db/errors';

/**
 * How a worker shares the CPU with an API on the same machine. Training keeps every thread it is given busy, and
 * LibTorch by default takes every core; an API beside it then waits for a core between two requests, and its
 * event loop falls behind (issue 12: pages p99 1.7 s, event-loop p99 0.83 s on 2 cores with a TINY run training).
 * So a worker:
 * - runs at a lower priority (VAD_WORKER_NICE, default 10): the scheduler gives the API a core whenever it has
 *   work, and training every cycle the API leaves;
 * - trains on VAD_TRAIN_THREADS LibTorch threads (0 or unset: every core the process may use; `npm start` sets it to
 *   one core fewer than the machine has, leaving one to the API and PostgreSQL). The native engine reads it at
 *   every call (native/src/core/device.cpp).
 */
export interface CpuShare {
  /** 0 (as the API) to 19 (only what nothing else wants). */
  nice: number;
  /** LibTorch threads for training and explaining on the CPU; 0: every core the process may use. */
  trainThreads: number;
}

export function cpuShareFromEnv(env: NodeJS.ProcessEnv = process.env): CpuShare {
  return {
    nice: integerBetween(env, 'VAD_WORKER_NICE', 10, 0, 19),
    trainThreads: integerBetween(env, 'VAD_TRAIN_THREADS', 0, 0, 1024),
  };
}

function integerBetween(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new EnvironmentError(`${name}=${raw} is not an integer from ${min} to ${max}`);
  }
  return value;
}

/**
 * Applies a worker's share to this process: its priority and its training threads. Returns what it did, in
 * words, for the worker's start-up line; a step the system refuses is said, not fatal (the worker still works).
 */
export function applyCpuShare(share: CpuShare): string {
  const done: string[] = [];
  if (share.nice > 0) done.push(lowerPriority(share.nice));
  // The engine reads the variable at each training or explaining call; 0 leaves it to the cores it may use.
  if (share.trainThreads > 0) {
    process.env.VAD_TRAIN_THREADS = String(share.trainThreads);
    done.push(`${share.trainThreads} training thread(s)`);
  } else {
    delete process.env.VAD_TRAIN_THREADS;
    done.push(`training threads: every core it may use (${os.availableParallelism()})`);
  }
  return done.join(', ');
}

/**
 * Lowers the priority of every thread of this process (Linux sets a nice value per thread, and a thread inherits
 * its creator's: the engine's threads made later start at this one), and of the process's autogroup: where the
 * kernel groups processes by session (sched_autogroup, the default of desktop and many server kernels, whenever
 * the process is in the root CPU cgroup), groups share the CPU equally whatever the nice values of their threads,
 * and the supervisor starts each child in a session of its own.
 */
function lowerPriority(nice: number): string {
  let threads = 0;
  let refused = 0;
  let tids: string[];
  try {
    tids = readdirSync('/proc/self/task');
  } catch {
    tids = [String(process.pid)];
  }
  for (const tid of tids) {
    try {
      if (os.getPriority(Number(tid)) < nice) os.setPriority(Number(tid), nice);
      threads++;
    } catch {
      refused++;
    }
  }
  let group = '';
  // Only a session of its own: a worker started in a terminal shares its autogroup with the shell (and maybe an
  // API started there too), which must keep its priority.
  if (leadsItsSession()) {
    try {
      // Raising one's own autogroup's nice needs no privilege; the file is absent without sched_autogroup.
      writeFileSync('/proc/self/autogroup', String(nice));
      group = ' and its autogroup';
    } catch {
      // No autogroups here: the threads' nice values are what the scheduler weighs.
    }
  }
  return `nice ${nice} (${threads} thread(s)${group}${refused ? `, ${refused} refused` : ''})`;
}

/** Whether this process leads its session (the supervisor starts each child so, setsid). */
function leadsItsSession(): boolean {
  try {
    // /proc/self/stat: pid (comm) state ppid pgrp session ...; comm may hold spaces, so count after its ')'.
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[3]) === process.pid;
  } catch {
    return false;
  }
}
