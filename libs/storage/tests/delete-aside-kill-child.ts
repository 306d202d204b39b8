import { watch } from 'node:fs';
import { basename, dirname } from 'node:path';
import { LocalObjectStore } from '../src/local/local-object-store';

// Runs deleteIfUnchanged on the object as the test listed it, and kills itself with SIGKILL the
// moment the object leaves its key (moved aside, not yet deleted or put back): a process killed
// there, as by `kill -9` or a power cut.
const [root, key, etag] = process.argv.slice(2) as [string, string, string];
const store = new LocalObjectStore(root);
const path = store.pathOf(key);
watch(dirname(path), (_event, name) => {
  if (name === basename(path)) process.kill(process.pid, 'SIGKILL');
});
await store.deleteIfUnchanged({ key, etag, size: 0, lastModified: new Date() });
process.stdout.write('finished without being killed\n');
