// A read that fails for another reason than a missing file (EIO, EMFILE) cannot be caused on
// demand, even as root, so this file passes `readFile` through a mock that fails it for one path.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AlertRecord } from '@twitch-pipeline/schemas';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { alertAt } from './support/alert-records';
import { LocalAlertLog } from '../src/index';

vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  return { ...actual, readFile: vi.fn(actual.readFile) };
});

const { readFile: actualReadFile } = await vi.importActual<typeof import('node:fs/promises')>('node:fs/promises');


/** Makes every read of `path` fail with `code`, as a failing disk or a full file table would. */
function failReadsOf(path: string, code: string): void {
  vi.mocked(readFile).mockImplementation(((file: Parameters<typeof actualReadFile>[0], options?: Parameters<typeof actualReadFile>[1]) =>
    file === path
      ? Promise.reject(Object.assign(new Error(`${code}: simulated failure, read`), { code }))
      : actualReadFile(file, options)) as typeof readFile);
}

describe('LocalAlertLog when a record cannot be read', () => {
  let directory: string;
  let log: LocalAlertLog;
  let delivered: AlertRecord;
  let deliveredPath: string;

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'alert-log-'));
    log = new LocalAlertLog(directory);
    delivered = alertAt('2026-11-29T21:00:00.000Z', 's1');
    await log.claim(delivered, 30_000);
    await log.markDelivered(delivered);
    deliveredPath = join(directory, (await readdir(directory))[0]!);
  });

  afterEach(async () => {
    vi.mocked(readFile).mockReset();
    await rm(directory, { recursive: true, force: true });
  });

  it('neither claims nor overwrites a delivered record it could not read, and a later claim finds it delivered', async () => {
    // prepare
    failReadsOf(deliveredPath, 'EIO');

    // act
    const claim = log.claim(delivered, 30_000);
    await claim.catch(() => undefined);
    vi.mocked(readFile).mockReset();
    const later = await log.claim(delivered, 30_000);

    // assess
    await expect(claim).rejects.toMatchObject({ code: 'EIO' });
    expect(later).toBe('delivered');
  });

  it('never removes on release a delivered record it could not read', async () => {
    // prepare
    failReadsOf(deliveredPath, 'EIO');

    // act
    const release = log.release(delivered.key);
    await release.catch(() => undefined);
    vi.mocked(readFile).mockReset();

    // assess
    await expect(release).rejects.toMatchObject({ code: 'EIO' });
    expect(await log.list()).toEqual({ alerts: [delivered], unreadable: [] });
  });

  it('lists the other alerts and names the record it could not read, with the error', async () => {
    // prepare
    const other = alertAt('2026-11-29T22:00:00.000Z', 's2');
    await log.claim(other, 30_000);
    await log.markDelivered(other);
    failReadsOf(deliveredPath, 'EIO');

    // act
    const listed = await log.list();

    // assess
    expect(listed).toEqual({
      alerts: [other],
      unreadable: [{ file: deliveredPath.slice(directory.length + 1), reason: 'cannot be read (EIO: simulated failure, read)' }],
    });
  });

  it('fails the listing, rather than calling the record damaged, when the machine ran out of open files', async () => {
    // prepare
    failReadsOf(deliveredPath, 'EMFILE');

    // act
    const listing = log.list();

    // assess
    await expect(listing).rejects.toMatchObject({ code: 'EMFILE' });
  });

  it('skips without a word a record removed between the listing and the read (a claim released)', async () => {
    // prepare
    failReadsOf(deliveredPath, 'ENOENT');

    // act
    const listed = await log.list();

    // assess
    expect(listed).toEqual({ alerts: [], unreadable: [] });
  });
});
