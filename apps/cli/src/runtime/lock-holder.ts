import { hostname } from 'node:os';
import { isAlive, pidNamespace, procStatFields } from './process-alive';

/** The lock file of a data directory, held by the one process writing it. */
export const LOCK_FILE = 'pipeline.lock';

/** Who holds a data directory: the content of its lock file. */
export interface LockHolder {
  pid: number;
  host: string;
  /** ISO-8601 UTC time the lock was taken. */
  startedAt: string;
  command: string;
  /** The process's start time as the OS counts it (Linux `/proc/<pid>/stat`), to tell a reused pid apart. */
  processStart?: string;
  /** Its pid namespace (see `pidNamespace`): another container's pid means nothing here. Locks of earlier versions have none. */
  pidNamespace?: string;
  /** Unique per acquisition: a release removes the file only while it still holds this token. */
  token: string;
  /** The data directory locked, as {@link directoryOf} names it, to tell a lock copied with the directory. Earlier versions have none. */
  directory?: LockedDirectory;
}

/** Where a lock was taken: the data directory's real path and its device and inode numbers. */
export interface LockedDirectory {
  path: string;
  id: string;
}

/**
 * The start time of a process as the OS records it (field 22 of /proc/<pid>/stat), or undefined where that cannot be read.
 *
 * @example
 * processStartOf(process.pid); // '123456'
 */
export function processStartOf(pid: number): string | undefined {
  return procStatFields(pid)?.[19];
}

/**
 * The holder a lock file's text names, or undefined when it names none (empty, torn, another form).
 *
 * @example
 * parseHolder(await readFile(join(dataDir, LOCK_FILE), 'utf8'))?.command; // 'run --every'
 */
export function parseHolder(text: string): LockHolder | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockHolder>;
    if (typeof value.pid === 'number' && typeof value.host === 'string' && typeof value.token === 'string') return value as LockHolder;
  } catch {
    // Unreadable content is reported by the caller as a lock of unknown holder.
  }
  return undefined;
}

/**
 * Whether the holder runs on this host and in this pid namespace, where its pid can be looked up.
 *
 * @example
 * if (isLocal(holder) && !isAlive(holder.pid)) takeOver();
 */
export function isLocal(holder: LockHolder): boolean {
  return holder.host === hostname() && (holder.pidNamespace ?? pidNamespace()) === pidNamespace();
}

/**
 * Why the holder no longer runs, or undefined while it may still run (or runs on another host).
 *
 * @example
 * staleReason(holder); // 'process 4242 is not running'
 */
export function staleReason(holder: LockHolder | undefined): string | undefined {
  if (!holder) return 'its content is unreadable';
  if (!isLocal(holder)) return undefined;
  if (!isAlive(holder.pid)) return `process ${holder.pid} is not running`;
  const start = processStartOf(holder.pid);
  if (holder.processStart && start && start !== holder.processStart) return `process id ${holder.pid} now belongs to another process`;
  return undefined;
}

/**
 * The holder as the commands name it.
 *
 * @example
 * describeHolder(holder); // '`run --every` (pid 4242 on laptop, since 2026-12-07T12:00:00.000Z)'
 */
export function describeHolder(holder: LockHolder): string {
  return `\`${holder.command}\` (pid ${holder.pid} on ${holder.host}, since ${holder.startedAt})`;
}
