import { randomUUID } from 'node:crypto';
import { constants, existsSync, readFileSync, rmSync } from 'node:fs';
import { access, mkdir, readFile, realpath, rm, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { createFileDurably } from '@twitch-pipeline/storage';
import type { CommandInput, OptionSpec } from '../cli/command';
import { CliError, EXIT, unwritableCodeOf } from '../cli/errors';
import { sharedGroupHint } from '../cli/permission-hint';
import { STOP_SIGNALS } from '../cli/signals';
import { forgetDemoInProgress } from './demo-directory';
import { EMPTY_LOCK_RETRY_MS, isBeingWritten, takeOver } from './lock-takeover';
import { describeHolder, isLocal, LOCK_FILE, type LockedDirectory, type LockHolder, parseHolder, processStartOf, staleReason } from './lock-holder';
import { pidNamespace } from './process-alive';

export { LOCK_FILE, type LockedDirectory, type LockHolder } from './lock-holder';

/** The identity of a data directory that exists; its path as given where the file system cannot resolve it. */
async function directoryOf(dataDir: string): Promise<LockedDirectory> {
  const found = await stat(dataDir);
  return { path: await realpath(dataDir).catch(() => resolve(dataDir)), id: `${found.dev}:${found.ino}` };
}

/**
 * Whether `there` is the folder `dataDir` is, reached by another name: a file made in one shows
 * in the other. Two mounts of one share (a kernel SMB mount and a desktop's FUSE one) give one
 * folder two paths and two device numbers, which alone would pass for a copy.
 */
async function isSameFolder(dataDir: string, there: string): Promise<boolean> {
  const probe = `.${LOCK_FILE}.probe-${randomUUID()}`;
  try {
    await writeFile(join(dataDir, probe), '');
    return existsSync(join(there, probe));
  } catch {
    return true;
  } finally {
    await rm(join(dataDir, probe), { force: true });
  }
}

/** Options of {@link acquireDataLock}. */
export interface AcquireOptions {
  /** The command taking the lock, named in the message a second writer gets. */
  command: string;
  /** Wait up to this long for the holder to finish instead of refusing at once (default 0). */
  waitMs?: number;
  /** Told when a stale lock of a dead process is taken over. */
  onNotice?: (message: string) => void;
}

const POLL_MS = 250;

/**
 * Why a lock was copied with the data directory (a backup taken while a collector ran), or
 * undefined: it names another folder, by path and by device and inode both, and that folder is
 * not this one under another name. Its holder writes the original, never this copy. One name
 * alone is not enough: a bind mount shows the same folder under another path, and a move within
 * one file system keeps the inode. Only this host's locks are judged so: another host's device
 * numbers mean nothing here, and a shared folder may be mounted there under another path.
 */
async function copiedLockReason(holder: LockHolder | undefined, here: LockedDirectory, dataDir: string): Promise<string | undefined> {
  const directory = holder?.directory;
  if (!holder || !directory || !isLocal(holder) || directory.path === here.path || directory.id === here.id) return undefined;
  if (await isSameFolder(dataDir, directory.path)) return undefined;
  return `it was copied with the data directory from ${directory.path}, which that process writes`;
}

/** Who holds a data directory's lock now, as `status` tells it. */
export interface LockState {
  /** The holder its lock file names; absent when the file names none. */
  holder?: LockHolder;
  /** Why the holder no longer runs (the next writing command takes the lock over); absent while it may still run. */
  stale?: string;
}

/**
 * Who holds the lock of `dataDir`, or undefined when no command holds it: read only, so `status`
 * can name the collector writing the data (a teammate's, or one started in another terminal).
 *
 * @example
 * const state = await lockStateOf('./data'); // { holder: { command: 'run --every', pid: 4242, … } }
 */
export async function lockStateOf(dataDir: string): Promise<LockState | undefined> {
  const text = await readFile(join(dataDir, LOCK_FILE), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  const holder = parseHolder(text);
  // Judged as a writer judges it before taking the lock over: gone, or copied with the directory.
  const stale = (await copiedLockReason(holder, await directoryOf(dataDir), dataDir)) ?? staleReason(holder);
  return { ...(holder ? { holder } : {}), ...(stale ? { stale } : {}) };
}

/**
 * The lock of one data directory, taken by every command that writes it (`run`, `start`,
 * `backfill`) so that two writers never interleave. Release it when done; it is also released
 * when the process exits, and on a stop signal (SIGINT, SIGTERM, SIGHUP) when no other handler deals with it.
 *
 * @example
 * const lock = await acquireDataLock(dataDir, { command: 'run', waitMs: 5_000 });
 * if (lock.tookOver) console.error(`took over the lock of \`${lock.tookOver.command}\`, which no longer runs`);
 * try {
 *   // Moved or deleted meanwhile: a write now would start a new, partial data directory.
 *   if (await lock.stillHeld()) await work();
 * } finally {
 *   await lock.release();
 * }
 */
export class DataLock {
  private released = false;
  private readonly onExit = () => this.releaseSync();
  private readonly onSignal = (signal: NodeJS.Signals) => {
    // Alone, this listener would swallow the signal: release, then let the default action end the process.
    if (process.listenerCount(signal) > 1) return;
    this.releaseSync();
    process.kill(process.pid, signal);
  };

  constructor(
    readonly path: string,
    readonly holder: LockHolder,
    /** The holder of a stale lock this acquisition took over: a command that died without releasing it. */
    readonly tookOver?: LockHolder,
  ) {
    process.on('exit', this.onExit);
    for (const signal of STOP_SIGNALS) process.on(signal, this.onSignal);
  }

  /**
   * Whether the lock file is still this acquisition's. It is not once the data directory was
   * moved or deleted, or another command took the lock over: a collector then stops rather than
   * write a new, partial data directory where the old one was.
   */
  async stillHeld(): Promise<boolean> {
    if (this.released) return false;
    const text = await readFile(this.path, 'utf8').catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? '' : undefined));
    // A read that failed otherwise (EIO, EMFILE) says nothing about the lock: the next check asks again.
    return text === undefined || parseHolder(text)?.token === this.holder.token;
  }

  /** Removes the lock file if it is still this acquisition's. */
  async release(): Promise<void> {
    if (this.released) return;
    this.detach();
    if (parseHolder(await readFile(this.path, 'utf8').catch(() => ''))?.token === this.holder.token) await rm(this.path, { force: true });
  }

  private releaseSync(): void {
    if (this.released) return;
    this.detach();
    try {
      if (parseHolder(readFileSync(this.path, 'utf8'))?.token === this.holder.token) rmSync(this.path, { force: true });
    } catch {
      // Already gone.
    }
  }

  private detach(): void {
    this.released = true;
    process.off('exit', this.onExit);
    for (const signal of STOP_SIGNALS) process.off(signal, this.onSignal);
  }
}

/**
 * Runs a write into the data directory; a refusal by the file system (mounted read-only, or
 * another user's folder) becomes an error that says so and what to do. Node's recursive mkdir
 * reports a read-only parent as ENOENT, so then the nearest folder that exists is asked whether
 * it can be written.
 */
async function writingDataDirectory<T>(dataDir: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    let code = unwritableCodeOf(error);
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      let folder = resolve(dataDir);
      while (!existsSync(folder) && dirname(folder) !== folder) folder = dirname(folder);
      code = await access(folder, constants.W_OK).then(() => undefined, unwritableCodeOf);
    }
    if (!code) throw error;
    // A teammate's data directory made with umask 022: their fix, not another folder, is what helps.
    const shared = sharedGroupHint(resolve(dataDir))?.trim();
    throw new CliError(`cannot write to the data directory ${dataDir} (${code})`, {
      cause: error,
      hint:
        (shared ? `${shared}\n` : '') +
        'the commands that collect or rebuild (start, run, backfill, rebuild) write there: set PIPELINE_DATA_DIR to a folder you can write;\n' +
        'query, status, channel, category, alerts and dashboard --out FILE only read it',
    });
  }
}

/**
 * Takes the data directory's lock: a JSON file (pid, host name, start time, command) created
 * exclusively (createFileDurably), so only one process can hold it. A lock whose process is gone (a
 * SIGKILL, a crash, a reboot) is taken over with a notice; a live holder makes this wait up to
 * `waitMs`, then refuse with a message naming it.
 *
 * @example
 * const lock = await acquireDataLock(config.dataDir, { command: 'run' });
 * try { await work(); } finally { await lock.release(); }
 */
export async function acquireDataLock(dataDir: string, options: AcquireOptions): Promise<DataLock> {
  await writingDataDirectory(dataDir, () => mkdir(dataDir, { recursive: true }));
  const path = join(dataDir, LOCK_FILE);
  const here = await directoryOf(dataDir);
  const holder: LockHolder = {
    pid: process.pid,
    host: hostname(),
    startedAt: new Date().toISOString(),
    command: options.command,
    ...(processStartOf(process.pid) ? { processStart: processStartOf(process.pid) } : {}),
    pidNamespace: pidNamespace(),
    token: randomUUID(),
    directory: here,
  };
  const deadline = Date.now() + (options.waitMs ?? 0);
  let waiting = false;
  let tookOver: LockHolder | undefined;
  for (;;) {
    const lockFile = `${JSON.stringify(holder)}\n`;
    if (await writingDataDirectory(dataDir, () => createFileDurably(path, lockFile, join(dataDir, `.${LOCK_FILE}.${holder.token}.tmp`)))) {
      return new DataLock(path, holder, tookOver);
    }
    const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
      // Released between the create and this read: try again. Any other failure would fail every
      // try, and retrying it at once spun the CPU with nothing said.
      if (error.code === 'ENOENT') return undefined;
      throw new CliError(`cannot read the lock of ${dataDir}, ${path}: ${error.message}`, {
        exitCode: EXIT.failure,
        hint: `a command of another user (one run with sudo?) may have left it; if no command is writing ${dataDir}, delete ${path}`,
      });
    });
    if (text === undefined) continue;
    if (text === '' && (await isBeingWritten(path))) {
      await delay(EMPTY_LOCK_RETRY_MS);
      continue;
    }
    const current = parseHolder(text);
    const stale = (await copiedLockReason(current, here, dataDir)) ?? staleReason(current);
    if (stale) {
      if (await takeOver(path, text)) {
        tookOver = current;
        options.onNotice?.(`took over a stale lock of ${current ? describeHolder(current) : 'an unknown process'}: ${stale}`);
      }
      continue;
    }
    if (Date.now() >= deadline) {
      throw new CliError(`${dataDir} is in use by ${describeHolder(current!)}`, {
        exitCode: EXIT.failure,
        hint: `wait for it to finish, stop it, or pass --wait to queue behind it; if that process is gone for good, delete ${path}`,
      });
    }
    if (!waiting) options.onNotice?.(`waiting for ${describeHolder(current!)} to finish`);
    waiting = true;
    await delay(Math.min(POLL_MS, Math.max(1, deadline - Date.now())));
  }
}

/** The `--wait` flag of the commands that take the lock. */
export const LOCK_OPTIONS: Record<string, OptionSpec> = {
  wait: { type: 'boolean', description: 'when another command is writing the data directory, wait for it instead of refusing' },
};

/**
 * Takes the lock of the configured data directory for a command, waiting when `--wait` was given
 * and telling stderr about a wait or a stale lock taken over.
 *
 * @example
 * const lock = await lockDataDirectory(input, config.dataDir, 'run');
 */
export async function lockDataDirectory(input: Pick<CommandInput, 'values' | 'io'>, dataDir: string, command: string): Promise<DataLock> {
  const lock = await acquireDataLock(dataDir, {
    command,
    waitMs: input.values.wait === true ? Number.POSITIVE_INFINITY : 0,
    onNotice: (message) => input.io.err(`${message}\n`),
  });
  // What this writer adds is no demo's: a later `npm start` must not take it for one stopped midway.
  if (command !== 'start') await forgetDemoInProgress(join(resolve(dataDir), 'runs'));
  return lock;
}
