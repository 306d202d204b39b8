import { LocalEventQueue, LocalRealtimeTable } from '@twitch-pipeline/storage';
import { drainLocalQueue } from '../src/index';

// Drains the queue with a 1-second visibility timeout; once 5 messages are written, the
// alerting hook of the next one never returns, the child reports how far it got, and the
// test kills it with SIGKILL in the middle of a receive batch.
const [queueDir, tableDir] = process.argv.slice(2) as [string, string];
let written = 0;
await drainLocalQueue({
  queue: new LocalEventQueue(queueDir, { visibilityTimeoutSeconds: 1 }),
  table: new LocalRealtimeTable(tableDir),
  ttlHours: 48,
  onWritten: async () => {
    written += 1;
    if (written === 6) {
      process.stdout.write('stuck\n');
      await new Promise(() => undefined);
    }
  },
});
