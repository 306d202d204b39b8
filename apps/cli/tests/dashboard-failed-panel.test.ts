import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DASHBOARD_PANELS } from '../src/dashboard/panels';
import { LakeSession } from '../src/lake/lake-session';
import { main } from '../src/main';
import { cliEnv, temporaryDataDir } from './support/cli-process';

let dataDir: string;

beforeAll(async () => {
  dataDir = await temporaryDataDir();
});

afterAll(async () => {
  vi.restoreAllMocks();
  await rm(dataDir, { recursive: true, force: true });
});

describe('dashboard with a panel whose query fails', () => {
  it('writes the page with the error in the panel and names the panel on stderr', async () => {
    // prepare: the fault is injected by wrapping the real session's query for one panel's SQL
    const failing = DASHBOARD_PANELS[0]!;
    const query = LakeSession.prototype.query;
    vi.spyOn(LakeSession.prototype, 'query').mockImplementation(async function (this: LakeSession, sql: string, params?: unknown[]) {
      if (sql === failing.sql) throw new Error('Out of Memory Error: failed to allocate');
      return query.call(this, sql, params);
    });
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (text: string | Uint8Array) => out.push(String(text)), err: (text: string) => err.push(text), drained: async () => {}, interactive: false };
    const file = join(dataDir, 'page.html');

    // act
    const code = await main(['dashboard', '--out', file], io, cliEnv(dataDir));

    // assess
    expect(code).toBe(0);
    expect(err.join('')).toContain(`warning: dashboard panel "${failing.title}": query failed: Out of Memory Error: failed to allocate`);
    expect(await readFile(file, 'utf8')).toContain('query failed: Out of Memory Error');
  });
});
