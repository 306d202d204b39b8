import { type ChildProcess, spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LocalObjectStore } from '@twitch-pipeline/storage';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runSilver } from '../src/index';
import { bronzeRow, createTestLake, readRows, type TestLake, writeBronzeSnapshot } from './support/transform-lake';

const TZ = 'America/Sao_Paulo';
const CHILD = fileURLToPath(new URL('./support/transform-crash-child.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));

let crashed: TestLake;
let clean: TestLake;
beforeEach(async () => {
  crashed = await createTestLake();
  clean = await createTestLake();
});
afterEach(async () => {
  await crashed.dispose();
  await clean.dispose();
});

async function writeLake(store: LocalObjectStore): Promise<void> {
  for (let snapshot = 0; snapshot < 10; snapshot++) {
    const at = new Date(Date.parse('2026-11-29T12:00:00Z') + snapshot * 30 * 60_000).toISOString();
    const rows = Array.from({ length: 3000 }, (_, index) =>
      bronzeRow({ collected_at: at, id: String(100_000 + index), user_login: `canal_${index}`, viewer_count: index % 97, title: `título ${index} 🎮` }),
    );
    rows.push(bronzeRow({ collected_at: at, id: '42', viewer_count: -1 }));
    await writeBronzeSnapshot(store, at, rows, TZ);
  }
}

async function filesUnder(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

/** Resolves once the first silver object is published, i.e. while the step is writing the others. */
function killWhileWriting(child: ChildProcess, lake: LocalObjectStore): Promise<void> {
  return new Promise((resolve, reject) => {
    const poll = setInterval(async () => {
      if ((await lake.list('silver/')).length > 0) {
        clearInterval(poll);
        child.kill('SIGKILL');
      }
    }, 5);
    child.on('exit', (_code, signal) => {
      clearInterval(poll);
      if (signal === 'SIGKILL') resolve();
      else reject(new Error('the child finished before it could be killed'));
    });
  });
}

describe('a silver run killed while writing', () => {
  it('leaves no partial object visible, and the rerun produces the same rows as an uninterrupted run', async () => {
    // prepare
    await writeLake(crashed.store);
    await writeLake(clean.store);
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, crashed.store.root, TZ], {
      cwd: REPO_ROOT,
      env: { ...process.env, TMPDIR: crashed.directory },
      stdio: ['ignore', 'pipe', 'inherit'],
    });

    // act
    await killWhileWriting(child, crashed.store);
    const visibleAfterKill = await crashed.store.list('silver/');
    const leftovers = (await filesUnder(join(crashed.store.root, 'silver'))).filter((path) => path.includes('.tmp-'));
    const rerun = await runSilver({ store: crashed.store, timeZone: TZ });
    const uninterrupted = await runSilver({ store: clean.store, timeZone: TZ });

    // assess: what was visible after the kill was whole, and nothing was left half-done
    expect(visibleAfterKill.length).toBeGreaterThan(0);
    expect(visibleAfterKill.length).toBeLessThan(10);
    expect(visibleAfterKill.every((object) => !object.key.includes('.tmp-'))).toBe(true);
    const published = await readRows(crashed.store, visibleAfterKill[0]!.key, 'id_stream');
    expect(published).toHaveLength(3000);
    expect(leftovers.every((path) => !visibleAfterKill.some((object) => path.endsWith(object.key)))).toBe(true);
    expect(rerun.failed).toEqual([]);
    expect(rerun.processed.length + visibleAfterKill.length).toBe(10);
    expect(rerun.rowsIn).toBe(rerun.rowsOut + rerun.quarantined);
    const crashedRows = await readRows(crashed.store, 'silver/', 'id_snapshot, id_stream');
    const cleanRows = await readRows(clean.store, 'silver/', 'id_snapshot, id_stream');
    expect(crashedRows).toHaveLength(uninterrupted.rowsOut);
    expect(crashedRows).toEqual(cleanRows);
    expect(await readRows(crashed.store, 'quarantine/', 'snapshot_id')).toEqual(await readRows(clean.store, 'quarantine/', 'snapshot_id'));
  });
});
