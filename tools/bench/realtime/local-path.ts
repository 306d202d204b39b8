import '../product-allocator';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { localAlertHook } from '@twitch-pipeline/alerts';
import { withEngine } from '@twitch-pipeline/duckdb';
import { drainLocalQueue, publishSnapshot } from '@twitch-pipeline/pipeline';
import { LocalEventQueue, LocalObjectStore, LocalRealtimeTable } from '@twitch-pipeline/storage';
import { countArgument, exitWithUsage, parsedOrUsage } from '../bench-args';
import { rate, SNAPSHOT_ID, TIME_ZONE, timed, writeSyntheticSnapshot } from './bench-fixtures';

// Events per second through the embedded real-time path: one bronze snapshot → publish →
// local queue → local consumer loop → local real-time table, then a count through the
// DuckDB view the `query` command uses. With `--alert-rules FILE` the consumer also evaluates
// those rules on every message, as `run` does with ALERT_RULES_FILE.
const USAGE = 'npx tsx tools/bench/realtime/local-path.ts [--streams 95000] [--alert-rules libs/alerts/examples/alert-rules.json]';
const { values } = parsedOrUsage(() => parseArgs({ options: { streams: { type: 'string' }, 'alert-rules': { type: 'string' } } }), USAGE);
const streams = countArgument(values.streams, 95_000, '--streams', USAGE);
const alertRulesFile = values['alert-rules'];
if (alertRulesFile !== undefined && !existsSync(alertRulesFile)) exitWithUsage(USAGE, `no alert rules file ${alertRulesFile}`);
const directory = await mkdtemp(join(tmpdir(), 'bench-realtime-'));
try {
  const store = new LocalObjectStore(join(directory, 'lake'));
  const queue = new LocalEventQueue(join(directory, 'queue'));
  const table = new LocalRealtimeTable(join(directory, 'realtime'));
  const key = await writeSyntheticSnapshot(store, streams);

  const publish = await timed(() => publishSnapshot({ store, queue, bronzeKey: key, snapshotId: SNAPSHOT_ID, timeZone: TIME_ZONE }));
  let alerts = 0;
  const onWritten = alertRulesFile ? localAlertHook({ dataDir: directory, alertRulesFile }, table, () => (alerts += 1)) : undefined;
  const drain = await timed(() => drainLocalQueue({ queue, table, ttlHours: 48, onWritten }));
  const view = await timed(() =>
    withEngine({}, async (engine) => {
      await engine.run(`CREATE VIEW realtime_events AS SELECT * FROM ${table.duckdbSource()}`);
      return (await engine.all<{ n: number }>('SELECT count(*) AS n FROM realtime_events'))[0]!.n;
    }),
  );
  const reader = new LocalRealtimeTable(join(directory, 'realtime'));
  const firstLookup = await timed(() => reader.queryByStreamer(`canal_${streams - 1}`, { limit: 1 }));
  const lookups = await timed(async () => {
    for (let index = 0; index < 1_000; index += 1) await reader.queryByStreamer(`canal_${index * 7}`, { limit: 1 });
  });
  const total = publish.ms + drain.ms;

  console.log(`streams in snapshot          ${streams}`);
  console.log(`events published             ${publish.value.events} in ${publish.value.messages} messages, ${publish.value.sendBatches} send batches`);
  console.log(`publish (read + send)        ${publish.ms.toFixed(0)} ms  ${rate(publish.value.events, publish.ms)} events/s`);
  console.log(`consume (queue → table)      ${drain.ms.toFixed(0)} ms  ${rate(drain.value.written, drain.ms)} events/s`);
  if (alertRulesFile) {
    // One part per message and watched category: every message's evaluation sums its category's parts.
    // No category rule, no parts folder.
    const names = await readdir(join(directory, 'alerts', 'audience'), { recursive: true }).catch(() => [] as string[]);
    const parts = names.filter((name) => name.endsWith('.json')).length;
    console.log(`alert rules                  ${alertRulesFile}: ${alerts} alerts delivered while consuming, ${parts} category audience parts`);
  }
  console.log(`end to end                   ${total.toFixed(0)} ms  ${rate(drain.value.written, total)} events/s`);
  console.log(`events written               ${drain.value.written} (failed messages ${drain.value.failed})`);
  console.log(`rows in realtime_events      ${view.value} (view count ${view.ms.toFixed(0)} ms)`);
  console.log(`queryByStreamer, first call  ${firstLookup.ms.toFixed(0)} ms (indexes the table)`);
  console.log(`queryByStreamer, next calls  ${(lookups.ms / 1_000).toFixed(3)} ms each (mean of 1,000)`);
  if (view.value !== publish.value.events || drain.value.written !== publish.value.events) {
    throw new Error('events written do not reconcile with events published');
  }
} finally {
  await rm(directory, { recursive: true, force: true });
}
