import { opendir } from 'node:fs/promises';
import { join } from 'node:path';
import { PROGRAM } from '../cli/command';

/**
 * What to do when a query found no rows because the data directory's lake holds no object at
 * all (a first `query` before any run, or a data directory other than the one the demo wrote):
 * an empty result says nothing else. Undefined when the lake has any object.
 *
 * @example
 * const hint = await emptyLakeHint('./data'); // 'the lake in ./data is empty: run `npm start` …'
 * if (hint) io.err(`  ${hint}\n`);
 */
export async function emptyLakeHint(dataDir: string): Promise<string | undefined> {
  const lake = join(dataDir, 'lake');
  try {
    for await (const entry of await opendir(lake, { recursive: true })) if (entry.isFile()) return undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  return `the lake in ${dataDir} is empty: run \`npm start\` (the demo) or \`${PROGRAM} run\` first, or point PIPELINE_DATA_DIR at the data directory they wrote`;
}
