import { LocalObjectStore } from '@twitch-pipeline/storage';
import { runSilver } from '../../src/index';

// Child process of the crash test: transforms every pending bronze object of a lake, one at a
// time, until the parent kills it with SIGKILL.
const [lakeDirectory, timeZone = 'America/Sao_Paulo'] = process.argv.slice(2);
if (!lakeDirectory) throw new Error('usage: transform-crash-child.ts <lake-directory> [time-zone]');
process.stdout.write('started\n');
await runSilver({ store: new LocalObjectStore(lakeDirectory), timeZone, engineOptions: { threads: 1 } });
process.stdout.write('finished\n');
