/**
 * Fault-injection benchmark: one simulated day of hourly cycles in the local runtime (the same
 * step functions and adapters `twitch-pipeline run` uses) while faults are injected at seeded
 * random slots: a torn lake object, an empty queue message, bad records, a process killed with
 * SIGKILL mid-cycle, a concurrent second run and a far rate-limit reset. Prints, per fault, how
 * many were injected, detected and recovered, the lake's reconciliation and whether every command
 * still answers.
 *
 *   npx tsx tools/bench/faults/fault-day.ts [--seed 7] [--channels 400] [--each 2]
 */
import '../product-allocator';
import { rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { mulberry32 } from '@twitch-pipeline/helix-simulator';
import { LAKE_PREFIXES, loadConfig } from '@twitch-pipeline/schemas';
import { HelixClient } from '@twitch-pipeline/twitch';
import { LakeSession } from '../../../apps/cli/src/lake/lake-session';
import { backfillSlots } from '../../../apps/cli/src/runtime/backfill';
import { newRunRecord, runCycle } from '../../../apps/cli/src/runtime/cycle';
import { acquireDataLock } from '../../../apps/cli/src/runtime/data-lock';
import { localRuntime } from '../../../apps/cli/src/runtime/local-runtime';
import { writeRunRecord } from '../../../apps/cli/src/runtime/runs-log';
import { type StreamsSource, startSimulator } from '../../../apps/cli/src/runtime/source';
import { countArgument, exitWithUsage, parsedOrUsage } from '../bench-args';
import { farResetProxy, lakeCounts, runCli, tearObject } from './fault-support';

const FAULTS = ['torn-object', 'empty-message', 'bad-record', 'sigkill', 'concurrent-run', 'far-reset'] as const;
type Fault = (typeof FAULTS)[number];
/** A killed run dies right after reporting one of these steps done, in the middle of the next. */
const KILL_AFTER = ['extract', 'publish', 'consume', 'silver'];

const USAGE = 'npx tsx tools/bench/faults/fault-day.ts [--seed 7] [--channels 400] [--each 2]';
const { values } = parsedOrUsage(() => parseArgs({ options: { seed: { type: 'string' }, channels: { type: 'string' }, each: { type: 'string' } } }), USAGE);
const seed = Number(values.seed ?? 7);
if (!Number.isInteger(seed)) exitWithUsage(USAGE, `--seed must be a whole number, not "${values.seed}"`);
const channels = countArgument(values.channels, 400, '--channels', USAGE);
const each = countArgument(values.each, 2, '--each', USAGE);
const HOURS = 24;
// The first two slots build the history the faults hit; every other slot takes one fault at most.
const mostEach = Math.floor((HOURS - 2) / FAULTS.length);
if (each > mostEach) exitWithUsage(USAGE, `--each is at most ${mostEach}: ${FAULTS.length} faults share ${HOURS - 2} slots`);
const random = mulberry32(seed);
const started = performance.now();

const dataDir = await mkdtemp(join(tmpdir(), 'fault-day-'));
// Removed however the run ends: a step that throws halfway through the day would leave its lake behind.
process.on('exit', () => rmSync(dataDir, { recursive: true, force: true }));
const config = loadConfig({ PIPELINE_DATA_DIR: dataDir, PIPELINE_INTERVAL_MINUTES: '60' });
const runtime = localRuntime(config);
const slots = backfillSlots(new Date(), HOURS, config.intervalMinutes);

// Each fault hits `each` distinct slots, never the first two (they build the history the faults hit).
const candidates = slots.map((_, index) => index).slice(2);
const plan = new Map<number, Fault>();
for (const fault of FAULTS) {
  for (let hit = 0; hit < each; hit++) {
    const free = candidates.filter((index) => !plan.has(index));
    plan.set(free[Math.floor(random() * free.length)]!, fault);
  }
}

const tally = Object.fromEntries(FAULTS.map((fault) => [fault, { injected: 0, detected: 0, recovered: 0 }])) as Record<Fault, { injected: number; detected: number; recovered: number }>;
const commandChecks = { answered: 0, asked: 0 };
const torn: string[] = [];
const killedDuring: string[] = [];
let failedCycles = 0;

const simulator = await startSimulator({ channels, seed, startTime: slots[0] });
const clientFor = (urls: { apiUrl: string; authUrl: string }, maxWaitMs?: number) =>
  new HelixClient({ ...urls, ...simulator.credentials, ...(maxWaitMs ? { pacing: { maxWaitMs } } : {}) });
const source: StreamsSource = { kind: 'simulator', client: clientFor(simulator), simulator, description: 'simulator', close: async () => {} };

/** One in-process cycle under the data-directory lock, recorded in the runs log like `run` does. */
async function cycle(collectedAt: Date, over: StreamsSource = source) {
  const lock = await acquireDataLock(dataDir, { command: 'fault-day', onNotice: () => tally.sigkill.detected++ });
  const record = newRunRecord('cycle', 'simulator', new Date());
  try {
    simulator.clock.set(collectedAt);
    await runCycle({ runtime, source: over, config, collectedAt }, record);
  } catch (error) {
    record.status = 'failed';
    record.error = (error as Error).message;
  } finally {
    record.finishedAt = new Date().toISOString();
    await writeRunRecord(runtime.runsDir, record);
    await lock.release();
  }
  if (record.status !== 'ok') failedCycles++;
  return record;
}

/** Whether the lake views open, answer `SELECT 1`, and name every torn object not yet set aside. */
async function viewsAnswer(): Promise<boolean> {
  commandChecks.asked++;
  const session = await LakeSession.open(dataDir, { onBadObjects: () => {} });
  try {
    const [one] = (await session.query('SELECT 1')).rows;
    const ok = one?.[0] === 1;
    if (ok) commandChecks.answered++;
    return ok;
  } finally {
    await session.close();
  }
}

for (const [index, collectedAt] of slots.entries()) {
  const fault = plan.get(index);
  if (fault) tally[fault].injected++;
  switch (fault) {
    case 'empty-message': {
      await runtime.queue.sendBatch([{ id: `garbage-${index}`, body: '' }]);
      const record = await cycle(collectedAt);
      if (record.deadLettered > 0) tally[fault].detected++;
      if (record.status === 'ok') tally[fault].recovered++;
      break;
    }
    case 'bad-record': {
      simulator.setFaults({ malformedRate: 0.05 });
      const record = await cycle(collectedAt);
      simulator.setFaults({ malformedRate: 0 });
      if (record.rows.quarantinedAtExtract > 0) tally[fault].detected++;
      if (record.status === 'ok' && record.rows.bronze > 0) tally[fault].recovered++;
      break;
    }
    case 'far-reset': {
      const proxy = await farResetProxy(simulator.apiUrl, simulator.authUrl);
      const failed = await cycle(collectedAt, { ...source, client: clientFor(proxy, 5_000) });
      await proxy.close();
      if (failed.status === 'failed' && /rate-limit reset .* ahead/.test(failed.error ?? '')) tally[fault].detected++;
      // The schedule's retry of the same slot.
      if ((await cycle(collectedAt)).status === 'ok') tally[fault].recovered++;
      break;
    }
    case 'sigkill': {
      // A separate `run` process for this slot, killed mid-cycle; the next writer takes its stale lock over.
      const after = KILL_AFTER[Math.floor(random() * KILL_AFTER.length)]!;
      const killed = await runCli(['run', '--at', collectedAt.toISOString(), '--channels', String(channels), '--seed', String(seed)], dataDir, after);
      killedDuring.push(killed.signal === 'SIGKILL' ? `after ${after}` : 'not killed (finished first)');
      const record = await cycle(collectedAt);
      if (killed.signal === 'SIGKILL' && record.status === 'ok') tally[fault].recovered++;
      break;
    }
    case 'concurrent-run': {
      const lock = await acquireDataLock(dataDir, { command: 'fault-day' });
      const second = await runCli(['run', '--at', collectedAt.toISOString(), '--channels', String(channels), '--seed', String(seed)], dataDir);
      await lock.release();
      if (second.code !== 0 && /is in use by/.test(second.stderr)) tally[fault].detected++;
      if ((await cycle(collectedAt)).status === 'ok') tally[fault].recovered++;
      break;
    }
    case 'torn-object': {
      await cycle(collectedAt);
      const silver = (await runtime.store.list(LAKE_PREFIXES.silver)).map((object) => object.key);
      const victim = silver[Math.floor(random() * silver.length)]!;
      await tearObject(runtime.store, victim, random() < 0.5 ? 0 : 0.5);
      torn.push(victim);
      const session = await LakeSession.open(dataDir, { onBadObjects: () => {} });
      if (session.badObjects.some((bad) => bad.key === victim)) tally[fault].detected++;
      await session.close();
      await viewsAnswer();
      break;
    }
    default:
      await cycle(collectedAt);
  }
}
// One more cycle rebuilds what the last cycles set aside (as the next scheduled one would).
await cycle(slots.at(-1)!);

for (const key of torn) {
  const object = (await runtime.store.list(key)).find((found) => found.key === key);
  if (object && object.size > 0 && (await viewsAnswer())) tally['torn-object'].recovered++;
}
await simulator.close();

const counts = await lakeCounts(runtime.store);
const session = await LakeSession.open(dataDir, { onBadObjects: () => {} });
const realtimeItems = Number((await session.query('SELECT count(*) FROM realtime_events')).rows[0]?.[0] ?? -1);
const leftBad = session.badObjects.length;
await session.close();
const deadLetters = await runtime.queue.deadLetterQueue().count();
const queue = await runtime.queue.counts();
for (const args of [['query', 'SELECT count(*) AS n FROM silver_streams'], ['status'], ['dashboard', '--out', join(dataDir, 'dashboard.html')]]) {
  commandChecks.asked++;
  if ((await runCli(args, dataDir)).code === 0) commandChecks.answered++;
}

const pad = (text: string | number, width: number) => String(text).padStart(width);
console.log(`fault-day: ${slots.length} hourly slots + 1, seed ${seed}, ${channels} channels, ${each} of each fault`);
console.log(`${'fault'.padEnd(15)}${pad('injected', 10)}${pad('detected', 10)}${pad('recovered', 11)}`);
for (const fault of FAULTS) console.log(`${fault.padEnd(15)}${pad(tally[fault].injected, 10)}${pad(tally[fault].detected, 10)}${pad(tally[fault].recovered, 11)}`);
const lost = counts.bronzeRows - counts.silverRows - counts.quarantinedAtSilver;
console.log(`killed runs: ${killedDuring.join(', ')} (killed in the step that follows)`);
console.log(`extract: ${counts.quarantinedAtExtract} bad records quarantined alone at extract, the rest of their snapshots landed`);
console.log(`bronze ${counts.bronzeRows} rows in ${counts.bronzeObjects} objects (${slots.length} slots) = silver ${counts.silverRows} + quarantined ${counts.quarantinedAtSilver}; rows lost: ${lost}`);
console.log(`published ${counts.distinctEvents} distinct events = consumed ${realtimeItems} (real-time items) + dead-lettered 0; unreadable messages dead-lettered: ${deadLetters}; queue left: ${queue.visible + queue.inFlight}`);
console.log(`torn objects set aside: ${counts.corruptObjects}, still unreadable: ${counts.unreadable} in bronze/silver, ${leftBad} in the views; cycles failed (as injected): ${failedCycles}`);
console.log(`commands answering: ${commandChecks.answered}/${commandChecks.asked}; took ${((performance.now() - started) / 1000).toFixed(0)} s`);
const healthy = counts.unreadable === 0 && lost === 0 && counts.distinctEvents === realtimeItems && counts.bronzeObjects === slots.length && commandChecks.answered === commandChecks.asked;
process.exitCode = healthy ? 0 : 1;
