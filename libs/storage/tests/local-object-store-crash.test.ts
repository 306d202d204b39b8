import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalObjectStore } from '../src/index';

const KEY = 'pending/gold/dt=2026-11-29/20261129T213000Z.json';
const FOLDER = ['pending', 'gold', 'dt=2026-11-29'];

/** Runs deleteIfUnchanged in a child process killed with SIGKILL while the object is moved aside. */
async function deleteKilledMidway(root: string, etag: string): Promise<{ signal: NodeJS.Signals | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./delete-aside-kill-child.ts', import.meta.url)), root, KEY, etag], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const signal = await new Promise<NodeJS.Signals | null>((done) => child.on('exit', (_code, killed) => done(killed)));
  return { signal, output };
}

/** Ages what the killed process left, as the next run finds it minutes later. */
async function ageLeftovers(folder: string): Promise<string[]> {
  const left = (await readdir(folder)).filter((name) => name.startsWith('.tmp-'));
  const longAgo = new Date(Date.now() - 120_000);
  for (const name of left) await utimes(join(folder, name), longAgo, longAgo);
  return left;
}

describe('LocalObjectStore conditional delete killed midway', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'lake-'));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('puts back an object rewritten since it was listed, once the next run sweeps', async () => {
    // Prepare: the marker as gold listed it, then rewritten by a silver run.
    const store = new LocalObjectStore(root);
    await store.put(KEY, '{"write":"listed"}\n');
    const [listed] = await store.list('pending/gold/');
    await store.put(KEY, '{"write":"rewritten"}\n');
    const killed = await deleteKilledMidway(root, listed!.etag);
    const goneAfterKill = !(await store.exists(KEY));
    const left = await ageLeftovers(join(root, ...FOLDER));

    // Act
    const swept = await store.removeStaleTemporaryFiles();

    // Assess
    expect(killed).toEqual({ signal: 'SIGKILL', output: '' });
    expect(goneAfterKill).toBe(true);
    expect(left).toHaveLength(1);
    expect(swept).toBe(1);
    expect(new TextDecoder().decode(await store.get(KEY))).toBe('{"write":"rewritten"}\n');
    expect(await readdir(join(root, ...FOLDER))).toEqual(['20261129T213000Z.json']);
  });

  it('finishes deleting the version listed, once the next run sweeps', async () => {
    // Prepare
    const store = new LocalObjectStore(root);
    await store.put(KEY, '{"write":"listed"}\n');
    const [listed] = await store.list('pending/gold/');
    const killed = await deleteKilledMidway(root, listed!.etag);
    await ageLeftovers(join(root, ...FOLDER));

    // Act
    const swept = await store.removeStaleTemporaryFiles();

    // Assess
    expect(killed.signal).toBe('SIGKILL');
    expect(swept).toBe(1);
    expect(await store.exists(KEY)).toBe(false);
    expect(await readdir(join(root, ...FOLDER))).toEqual([]);
  });
});
