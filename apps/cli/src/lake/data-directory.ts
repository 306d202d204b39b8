import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PROGRAM } from '../cli/command';
import { CliError, EXIT } from '../cli/errors';

/** The folders of a data directory the reading commands open. */
const DATA_PARTS = ['lake', 'realtime', 'queue', 'runs', 'alerts'] as const;

/**
 * Refuses a data directory that does not exist: read as it is, a mistyped PIPELINE_DATA_DIR
 * would answer every query with empty views (and the real-time table would create it).
 *
 * @example
 * assertDataDirectory('./data'); // throws a CliError (exit code 2) before the first `npm start`
 */
export function assertDataDirectory(dataDir: string): void {
  if (!existsSync(dataDir)) {
    throw new CliError(`no data directory at ${resolve(dataDir)}`, {
      exitCode: EXIT.usage,
      hint: `nothing was collected there: run \`npm start\` or \`${PROGRAM} run\` first, or set PIPELINE_DATA_DIR to the folder that holds the data`,
    });
  }
  // A file where a part of the data directory belongs would otherwise fail with a bare ENOTDIR.
  for (const part of DATA_PARTS) {
    const path = join(dataDir, part);
    if (existsSync(path) && !statSync(path).isDirectory()) {
      throw new CliError(`${resolve(path)} is a file, not a folder: the data directory keeps its ${part} there`, {
        exitCode: EXIT.usage,
        hint: `move the file away, or set PIPELINE_DATA_DIR to the folder that holds the data`,
      });
    }
  }
}
