// @ts-check
// Which of the CLI's cached bundles may go: a bundle stays while a live process runs from it,
// each process marking it as its own until it exits (see cli-bundle.mjs).
import { existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeFolder } from './shared-folder.mjs';

/** The file naming the current bundle, which no pruning removes. */
export const CURRENT = 'current.json';
const RUNNING = 'running';

/** @param {number} pid */
function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return /** @type {NodeJS.ErrnoException} */ (error).code === 'EPERM';
  }
}

/**
 * Records that this process runs from `dir` until it exits: a running command may still load a
 * chunk of its bundle (a command module, a worker) long after it started.
 *
 * @example
 * markRunning(dir); // dir/running/<pid>, removed when the process exits
 * @param {string} dir
 */
export function markRunning(dir) {
  const mark = join(dir, RUNNING, String(process.pid));
  try {
    makeFolder(join(dir, RUNNING));
    writeFileSync(mark, '');
    process.on('exit', () => rmSync(mark, { force: true }));
  } catch {
    // A cache this user may only read: nothing here prunes it either.
  }
}

/**
 * Removes the bundles other than `keep` that no live process runs from, and staging folders of
 * builds that died. Returns the names removed.
 *
 * @example
 * pruneBundles(spec.cacheDir, dir); // ['3f2a…']
 * @param {string} cacheDir
 * @param {string} keep
 * @returns {string[]}
 */
export function pruneBundles(cacheDir, keep) {
  const removed = [];
  for (const name of readdirSync(cacheDir)) {
    const path = join(cacheDir, name);
    if (path === keep || name === CURRENT || !statSync(path).isDirectory()) continue;
    const staging = /^\.staging-(\d+)-/.exec(name);
    if (staging) {
      if (!isAlive(Number(staging[1]))) rmSync(path, { recursive: true, force: true });
      continue;
    }
    const running = existsSync(join(path, RUNNING)) ? readdirSync(join(path, RUNNING)) : [];
    const live = running.filter((pid) => isAlive(Number(pid)));
    if (live.length > 0) continue;
    rmSync(path, { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}
