import { openPipelineInstance, TemporaryFolderError } from '@twitch-pipeline/duckdb';
import { CliError } from '../cli/errors';

/**
 * DuckDB for a session; a temporary folder it cannot spill into is told as what to fix, without
 * the hint to look for where it failed: the message already names the folder.
 *
 * @example
 * const { connection, close } = await openEngine();
 */
export async function openEngine(): ReturnType<typeof openPipelineInstance> {
  try {
    return await openPipelineInstance();
  } catch (error) {
    if (!(error instanceof TemporaryFolderError)) throw error;
    throw new CliError(`the temporary folder ${error.folder} (TMPDIR) is not writable${error.code ? ` (${error.code})` : ''}`, {
      hint: 'DuckDB keeps its spill files there: set TMPDIR to a folder you can write',
      cause: error,
    });
  }
}
