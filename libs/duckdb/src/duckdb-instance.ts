import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { defaultMemoryLimit } from './memory-limit';

/** Settings of one DuckDB instance; in Lambda they come from the function's memory and /tmp. */
export interface DuckDbEngineOptions {
  /** e.g. `'1GB'`; by default 60 % of the memory the process may use ({@link defaultMemoryLimit}). */
  memoryLimit?: string;
  threads?: number;
  /**
   * Keep freed blocks for reuse, up to the memory limit, rather than handing each back to the
   * system (DuckDB's default). For one long-lived engine whose queries build and drop large hash
   * tables, such as gold's: there, the next block no longer faults its pages in again, and a
   * full-platform day's gold took 10.6-11.3 s against 11.8-14.1 s. It does not pay for short
   * engines: the demo, with it on every engine, took 13.9-15.4 s against 13.0-13.8 s.
   */
  reuseFreedBlocks?: boolean;
  /** Where DuckDB spills when over the memory limit (default: the OS temp folder); each instance spills into its own folder inside it. */
  tempDirectory?: string;
}

/**
 * Raised when the folder DuckDB would spill into cannot be made: the temporary folder (`TMPDIR`)
 * is missing and cannot be created, is not a folder, or is not writable.
 *
 * @example
 * try { await openPipelineInstance(); } catch (error) { if (error instanceof TemporaryFolderError) console.error(error.folder); }
 */
export class TemporaryFolderError extends Error {
  /** The temporary folder the spill folder was to be made in. */
  readonly folder: string;
  /** The file system's refusal (`EACCES`, `ENOTDIR`, `EROFS`, …), when it gave one. */
  readonly code?: string;

  constructor(folder: string, cause: unknown) {
    const code = (cause as NodeJS.ErrnoException | undefined)?.code;
    super(
      `the temporary folder ${folder} (TMPDIR) is not writable${code ? ` (${code})` : ''}: DuckDB keeps its spill files there; set TMPDIR to a folder you can write`,
      { cause },
    );
    this.name = 'TemporaryFolderError';
    this.folder = folder;
    this.code = code;
  }
}

/** An open DuckDB instance, reached through its one connection. */
export interface PipelineInstance {
  connection: DuckDBConnection;
  /** Closes the connection and the instance, and removes the spill folder. */
  close(): Promise<void>;
}

/**
 * A fresh spill folder inside `base`. Without one DuckDB would either refuse to spill (failing any
 * query that outgrows its memory limit) or spill into the working directory, so a temporary
 * folder that cannot take one ends the command with what to fix, not a bare `mkdtemp` error.
 */
async function makeSpillDirectory(base: string): Promise<string> {
  try {
    await mkdir(base, { recursive: true });
    return await mkdtemp(join(base, 'duckdb-spill-'));
  } catch (error) {
    throw new TemporaryFolderError(base, error);
  }
}

/**
 * An in-memory DuckDB instance configured for pipeline work: UTC session time zone, no extension
 * auto-install or auto-load (so a stray `s3://` path fails at once), a memory limit, and a
 * private spill folder, removed on close. DuckDB names its spill files the same in every
 * instance, and an in-memory one would otherwise spill into `.tmp` in the working directory:
 * instances sharing a folder (a pool, or processes started in one directory) would overwrite
 * each other's files, and a query could litter the user's folder. A temporary folder that cannot
 * hold the spill folder fails with a {@link TemporaryFolderError}.
 *
 * @example
 * const { connection, close } = await openPipelineInstance({ memoryLimit: '1GB' });
 * try { await connection.run('SELECT 1'); } finally { await close(); }
 */
export async function openPipelineInstance(options: DuckDbEngineOptions = {}): Promise<PipelineInstance> {
  const memoryLimit = options.memoryLimit ?? defaultMemoryLimit();
  const settings: Record<string, string> = {
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
    memory_limit: memoryLimit,
  };
  if (options.threads) settings.threads = String(options.threads);
  // At most the limit, and only blocks the instance has used; closing the instance frees them.
  if (options.reuseFreedBlocks) settings.block_allocator_memory = memoryLimit;
  const spillDirectory = await makeSpillDirectory(options.tempDirectory ?? tmpdir());
  settings.temp_directory = spillDirectory;
  const removeSpill = () => rm(spillDirectory, { recursive: true, force: true });
  let instance: DuckDBInstance | undefined;
  try {
    instance = await DuckDBInstance.create(':memory:', settings);
    const connection = await instance.connect();
    await connection.run("SET TimeZone = 'UTC'");
    const opened = instance;
    return {
      connection,
      close: async () => {
        try {
          connection.closeSync();
          opened.closeSync();
        } finally {
          await removeSpill();
        }
      },
    };
  } catch (error) {
    instance?.closeSync();
    await removeSpill();
    throw error;
  }
}
