import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { alertAt } from './support/alert-records';
import { LocalAlertLog, LocalCategoryAudience } from '../src/index';
import { evaluationCases, recordMusicPart } from './support/evaluation-cases';

const run = promisify(execFile);

describe('LocalAlertLog', () => {
  let directory: string;

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'alert-log-'));
  });

  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('lets exactly one of ten writers racing for a key claim it', async () => {
    // prepare
    const writers = Array.from({ length: 10 }, () => new LocalAlertLog(directory));
    const alert = alertAt('2026-11-29T21:30:00.000Z', 's1');

    // act
    const claims = await Promise.all(writers.map((writer) => writer.claim(alert, 30_000)));
    const { alerts: listedWhilePending } = await new LocalAlertLog(directory).list();
    await writers[0]!.markDelivered(alert);
    const afterDelivery = await writers[1]!.claim(alert, 30_000);

    // assess
    expect(claims.filter((claim) => claim === 'claimed')).toHaveLength(1);
    expect(claims.filter((claim) => claim === 'claimed-elsewhere')).toHaveLength(9);
    expect(listedWhilePending).toEqual([]);
    expect(await new LocalAlertLog(directory).list()).toEqual({ alerts: [alert], unreadable: [] });
    expect(afterDelivery).toBe('delivered');
    expect((await readdir(directory)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('lists a log of more records than a process may hold open at once, every one of them', async () => {
    // prepare: 1,500 delivered records, read by a child process allowed 256 open files
    const log = new LocalAlertLog(directory);
    for (let index = 0; index < 1500; index += 1) {
      const alert = alertAt(new Date(Date.UTC(2026, 10, 1) + index * 60_000).toISOString(), `s${index}`);
      await log.claim(alert, 30_000);
      await log.markDelivered(alert);
    }
    const script = join(directory, 'list.mts');
    await writeFile(
      script,
      `import { LocalAlertLog } from ${JSON.stringify(new URL('../src/index.ts', import.meta.url).href)};\n` +
        `const { alerts, unreadable } = await new LocalAlertLog(${JSON.stringify(directory)}).list();\n` +
        'console.log(JSON.stringify({ alerts: alerts.length, unreadable: unreadable.length }));\n',
    );

    // act
    const { stdout } = await run('bash', ['-c', `ulimit -n 256 && exec "${process.execPath}" --import tsx "${script}"`], { encoding: 'utf8' });

    // assess
    expect(JSON.parse(stdout.trim().split('\n').at(-1)!)).toEqual({ alerts: 1500, unreadable: 0 });
  });

  it('claims again a key whose deliverer crashed before marking it delivered, once its lease is over', async () => {
    // prepare: a claim taken at t=0 with a 30 s lease, never marked delivered (the process died)
    let now = 0;
    const log = new LocalAlertLog(directory, () => now);
    const alert = alertAt('2026-11-29T21:30:00.000Z', 's1');
    await log.claim(alert, 30_000);

    // act
    now = 29_999;
    const withinLease = await log.claim(alert, 30_000);
    now = 30_001;
    const afterLease = await log.claim(alert, 30_000);

    // assess
    expect(withinLease).toBe('claimed-elsewhere');
    expect(afterLease).toBe('claimed');
  });

  it('lists delivered alerts newest first, with a limit and a lower bound, and lets a released claim be taken again', async () => {
    // prepare
    const log = new LocalAlertLog(directory);
    const older = alertAt('2026-11-29T21:00:00.000Z', 's1');
    const newer = alertAt('2026-11-29T22:00:00.000Z', 's2');
    const newest = alertAt('2026-11-29T23:00:00.000Z', 's3');
    const failed = alertAt('2026-11-29T23:30:00.000Z', 's4');
    for (const alert of [newer, older, newest]) {
      await log.claim(alert, 30_000);
      await log.markDelivered(alert);
    }
    await log.claim(failed, 30_000);

    // act
    const { alerts: all } = await log.list();
    const { alerts: limited } = await log.list({ limit: 2 });
    const { alerts: since } = await log.list({ since: new Date('2026-11-29T21:30:00Z') });
    await log.release(failed.key);
    await log.release(newer.key);
    const afterRelease = await log.claim(failed, 30_000);
    const deliveredKept = await log.claim(newer, 30_000);

    // assess
    expect(all.map((alert) => alert.id_stream)).toEqual(['s3', 's2', 's1']);
    expect(limited.map((alert) => alert.id_stream)).toEqual(['s3', 's2']);
    expect(since.map((alert) => alert.id_stream)).toEqual(['s3', 's2']);
    expect(afterRelease).toBe('claimed');
    expect(deliveredKept).toBe('delivered');
  });

  it('lists nothing when no alert was ever recorded', async () => {
    // prepare
    const log = new LocalAlertLog(join(directory, 'never-created'));

    // act
    const listed = await log.list();

    // assess
    expect(listed).toEqual({ alerts: [], unreadable: [] });
  });

  it('lists the readable alerts and names each damaged record with the reason, rather than dropping it', async () => {
    // prepare: three delivered alerts, then one torn (cut short) and one emptied by hand
    const log = new LocalAlertLog(directory);
    const names: string[] = [];
    for (const alert of [alertAt('2026-11-29T21:00:00.000Z', 's1'), alertAt('2026-11-29T22:00:00.000Z', 's2'), alertAt('2026-11-29T23:00:00.000Z', 's3')]) {
      const before = new Set(await readdir(directory).catch(() => []));
      await log.claim(alert, 30_000);
      await log.markDelivered(alert);
      names.push((await readdir(directory)).find((name) => !before.has(name))!);
    }
    const [tornFile, intactFile, emptyFile] = names as [string, string, string];
    await writeFile(join(directory, tornFile), '{"rule":"live","type":"channel_l');
    await writeFile(join(directory, emptyFile), '');

    // act
    const listed = await log.list();

    // assess
    expect(intactFile).toMatch(/^[0-9a-f]{40}\.json$/);
    expect(listed.alerts.map((alert) => alert.id_stream)).toEqual(['s2']);
    expect(listed.unreadable).toEqual([
      { file: emptyFile, reason: 'empty file' },
      { file: tornFile, reason: expect.stringMatching(/^not JSON \(.+\)$/) },
    ].sort((a, b) => a.file.localeCompare(b.file)));
  });

  it('names a record that is JSON but not an alert, whatever the time bound', async () => {
    // prepare
    const log = new LocalAlertLog(directory);
    const alert = alertAt('2026-11-29T21:00:00.000Z', 's1');
    await log.claim(alert, 30_000);
    await log.markDelivered(alert);
    const [file] = await readdir(directory);
    await writeFile(join(directory, file!), `${JSON.stringify({ ...alert, espectadores: 'many', estado: 'entregue' })}\n`);

    // act
    const listed = await log.list({ since: new Date('2026-11-30T00:00:00Z') });

    // assess
    expect(listed.alerts).toEqual([]);
    expect(listed.unreadable).toEqual([{ file, reason: expect.stringMatching(/^not an alert record \(espectadores: .+\)$/) }]);
  });
});

describe('LocalCategoryAudience', () => {
  let directory: string;

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'category-audience-'));
  });

  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('sums parts once per key and finds the previous snapshot total', async () => {
    // prepare
    const audience = new LocalCategoryAudience(directory);
    const parts = [
      { category: 'Just Chatting', timestamp: '2026-11-29T21:00:00Z', partialKey: 'aa', espectadores: 300 },
      { category: 'just chatting', timestamp: '2026-11-29T21:30:00Z', partialKey: 'aa', espectadores: 400 },
      { category: 'Just Chatting', timestamp: '2026-11-29T21:30:00Z', partialKey: 'bb', espectadores: 250 },
      { category: 'Just Chatting', timestamp: '2026-11-29T21:30:00Z', partialKey: 'bb', espectadores: 250 },
      { category: 'Music', timestamp: '2026-11-29T21:15:00Z', partialKey: 'cc', espectadores: 999 },
    ];

    // act
    for (const time of ['2026-11-29T21:00:00Z', '2026-11-29T21:30:00Z']) await audience.recordEvaluated(time, ['Just Chatting']);
    for (const part of parts) await audience.recordPartial(part);
    const total = await audience.totalAt('JUST CHATTING', '2026-11-29T21:30:00.000Z');
    const previous = await audience.previousTotal('Just Chatting', '2026-11-29T21:30:00Z');
    const first = await audience.previousTotal('Just Chatting', '2026-11-29T21:00:00Z');

    // assess
    expect(total).toBe(650);
    expect(previous).toEqual({ timestamp: '2026-11-29T21:00:00.000Z', total: 300 });
    expect(first).toBeUndefined();
  });

  it.each(evaluationCases)('$name', async ({ marks, category, before, expected }) => {
    // prepare
    const audience = new LocalCategoryAudience(directory);
    await recordMusicPart(audience);
    for (const [timestamp, categories] of marks) await audience.recordEvaluated(timestamp, categories);

    // act
    const previous = await audience.previousTotal(category, before);
    const reread = await new LocalCategoryAudience(directory).previousTotal(category, before);

    // assess
    expect(previous).toEqual(expected);
    expect(reread).toEqual(expected);
  });

  it('keeps every category of marks of one time written side by side', async () => {
    // prepare: a snapshot's messages are consumed together, each marking the categories it watched
    const audience = new LocalCategoryAudience(directory);
    await recordMusicPart(audience);
    await audience.recordPartial({ category: 'Chess', timestamp: '2026-11-29T21:00:00Z', partialKey: 'dd', espectadores: 80 });

    // act
    await Promise.all([audience.recordEvaluated('2026-11-29T21:00:00Z', ['Music']), audience.recordEvaluated('2026-11-29T21:00:00Z', ['Chess'])]);
    const reread = new LocalCategoryAudience(directory);

    // assess
    expect(await reread.previousTotal('Music', '2026-11-29T21:30:00Z')).toEqual({ timestamp: '2026-11-29T21:00:00.000Z', total: 120 });
    expect(await reread.previousTotal('Chess', '2026-11-29T21:30:00Z')).toEqual({ timestamp: '2026-11-29T21:00:00.000Z', total: 80 });
  });

  it("removes a mark's temporary file that a killed writer left", async () => {
    // prepare
    await new LocalCategoryAudience(directory).recordEvaluated('2026-11-29T21:00:00Z', ['Music']);
    const left = '.0c0f58d4-1b2a-4c3d-8e9f-0a1b2c3d4e5f.tmp';
    await writeFile(join(directory, 'evaluated', left), '{"categorias":[]}');

    // act
    await new LocalCategoryAudience(directory).previousTotal('Music', '2026-11-29T21:30:00Z');

    // assess
    expect(await readdir(join(directory, 'evaluated'))).toEqual(['20261129T210000.000Z.json']);
  });

  it('reads an unreadable evaluation mark as a time with no baseline, and marking it again repairs it', async () => {
    // prepare
    const audience = new LocalCategoryAudience(directory);
    await recordMusicPart(audience);
    await audience.recordEvaluated('2026-11-29T21:00:00Z', ['music']);
    await writeFile(join(directory, 'evaluated', '20261129T210000.000Z.json'), '{"categorias": ["mus');

    // act
    const damaged = await new LocalCategoryAudience(directory).previousTotal('Music', '2026-11-29T21:30:00Z');
    const repairing = new LocalCategoryAudience(directory);
    await repairing.recordEvaluated('2026-11-29T21:00:00Z', ['Music']);
    const repaired = await new LocalCategoryAudience(directory).previousTotal('Music', '2026-11-29T21:30:00Z');

    // assess
    expect(damaged).toBeUndefined();
    expect(repaired).toEqual({ timestamp: '2026-11-29T21:00:00.000Z', total: 120 });
  });

  it('finds the parts an earlier instance wrote, and a rewritten part replaces its value', async () => {
    // prepare
    const earlier = new LocalCategoryAudience(directory);
    await earlier.recordPartial({ category: 'Music', timestamp: '2026-11-29T21:30:00Z', partialKey: 'aa', espectadores: 300 });
    await earlier.recordPartial({ category: 'Music', timestamp: '2026-11-29T21:30:00Z', partialKey: 'bb', espectadores: 250 });
    const audience = new LocalCategoryAudience(directory);

    // act
    const before = await audience.totalAt('Music', '2026-11-29T21:30:00Z');
    await audience.recordPartial({ category: 'Music', timestamp: '2026-11-29T21:30:00Z', partialKey: 'bb', espectadores: 100 });
    await Promise.all(
      Array.from({ length: 40 }, (_, index) =>
        audience.recordPartial({ category: 'Music', timestamp: '2026-11-29T21:30:00Z', partialKey: `c${index.toString(16)}`, espectadores: 10 }),
      ),
    );
    const after = await audience.totalAt('Music', '2026-11-29T21:30:00Z');
    const reread = await new LocalCategoryAudience(directory).totalAt('music', '2026-11-29T21:30:00Z');

    // assess
    expect(before).toBe(550);
    expect(after).toBe(300 + 100 + 40 * 10);
    expect(reread).toBe(after);
  });

  it('reads a collection time from disk once, then keeps its parts as it writes them', async () => {
    // prepare
    const audience = new LocalCategoryAudience(directory);
    await audience.recordPartial({ category: 'Music', timestamp: '2026-11-29T21:30:00Z', partialKey: 'aa', espectadores: 300 });
    const [category] = await readdir(directory);
    const folder = join(directory, category!, '20261129T213000.000Z');

    // act: the only writer of the folder is this instance (one process holds a data directory)
    await rm(join(folder, 'aa.json'));
    await audience.recordPartial({ category: 'Music', timestamp: '2026-11-29T21:30:00Z', partialKey: 'bb', espectadores: 50 });
    const total = await audience.totalAt('Music', '2026-11-29T21:30:00Z');

    // assess
    expect(await readdir(folder)).toEqual(['bb.json']);
    expect(total).toBe(350);
  });

  it('forgets collection times older than its retention as new parts arrive', async () => {
    // prepare
    const audience = new LocalCategoryAudience(directory, 48);
    await audience.recordPartial({ category: 'Music', timestamp: '2026-11-27T21:00:00Z', partialKey: 'aa', espectadores: 500 });
    await audience.recordPartial({ category: 'Music', timestamp: '2026-11-29T20:30:00Z', partialKey: 'aa', espectadores: 40 });

    // act
    await audience.recordPartial({ category: 'Music', timestamp: '2026-11-29T21:30:00Z', partialKey: 'bb', espectadores: 70 });
    const expired = await audience.totalAt('Music', '2026-11-27T21:00:00Z');
    const previous = await audience.previousTotal('Music', '2026-11-29T20:30:00Z');

    // assess
    expect(expired).toBe(0);
    expect(previous).toBeUndefined();
  });
});
