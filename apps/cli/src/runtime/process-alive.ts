import { readFileSync, readlinkSync } from 'node:fs';
import { hostname } from 'node:os';

/**
 * The fields of Linux's `/proc/<pid>/stat` after the command name, which may itself hold spaces
 * and brackets: the state first (`R`, `S`, `Z`…), the start time 20th. Undefined where there is
 * no such file to read (another system, a process gone, /proc not mounted or hidden).
 *
 * @example
 * procStatFields(process.pid)?.[0]; // 'R'
 */
export function procStatFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/**
 * Whether Linux lists `pid` as a zombie: a process that has ended (a SIGKILL, a crash) and that
 * its parent has not reaped yet. It still answers signal 0, but writes nothing any more; where
 * its parent never reaps it (a container's init that is a shell or Node), it stays so for good.
 */
function isZombie(pid: number): boolean {
  const state = procStatFields(pid)?.[0];
  return state === 'Z' || state === 'X';
}

/**
 * Whether a process of this machine with id `pid` runs (one of another user's counts; one that
 * has ended and waits to be reaped does not).
 *
 * @example
 * isAlive(process.pid); // true
 */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  return !isZombie(pid);
}

let namespace: string | undefined;

/**
 * This process's pid namespace: on Linux the number of `/proc/self/ns/pid` (a container has one
 * of its own, even one that shares the host's name), elsewhere `host`.
 *
 * @example
 * pidNamespace(); // '4026531836'
 */
export function pidNamespace(): string {
  if (namespace === undefined) {
    try {
      namespace = /\[(\d+)\]/.exec(readlinkSync('/proc/self/ns/pid'))?.[1] ?? 'host';
    } catch {
      namespace = 'host';
    }
  }
  return namespace;
}

/**
 * Where this process's id means something, `<host>@<pid namespace>`. The files a process names
 * after itself (its scratch folder, a temporary beside a file) carry it, so that another process
 * tells one whose writer is gone from one of another host or container sharing the folder (a
 * shared /tmp or data directory, `--network host`), whose pid means nothing here.
 *
 * @example
 * processPlace(); // 'laptop@4026531836'
 */
export function processPlace(): string {
  return `${hostname()}@${pidNamespace()}`;
}

/**
 * Whether process `pid` of `place` is known to be gone: it ran where this one runs, and runs no
 * more. A process of another place is never taken for gone.
 *
 * @example
 * isGoneHere(processPlace(), process.pid); // false
 */
export function isGoneHere(place: string, pid: number): boolean {
  return place === processPlace() && !isAlive(pid);
}
