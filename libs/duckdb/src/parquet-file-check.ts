import { open } from 'node:fs/promises';
import { duckdbLiteralPath } from '@twitch-pipeline/schemas';
import type { DuckDbEngine } from './duckdb-engine';

const MAGIC = 'PAR1';
/** Leading magic, footer length and trailing magic: the smallest file that can be Parquet. */
const MIN_SIZE = 12;

/** Codes of a file that could not be opened because the machine was short of something, not because of the file. */
const MACHINE_ERROR_CODES = new Set(['EMFILE', 'ENFILE', 'ENOMEM', 'EAGAIN', 'EBUSY', 'EIO', 'EINTR']);
/** DuckDB's messages for the same, and for a query interrupted or out of memory. */
const MACHINE_ERROR_MESSAGE = /^(Out of Memory Error|INTERRUPT Error)|Too many open files|Cannot allocate memory|Resource temporarily unavailable|Input\/output error/i;

/**
 * Whether an error is the machine's (descriptors or memory run out, the disk failing, a query
 * interrupted) rather than the file's: a check meeting one must fail, not call the file damaged,
 * or a sound object would be set aside, and its verdict cached.
 *
 * @example
 * isMachineError(Object.assign(new Error('too many'), { code: 'EMFILE' })); // true
 */
export function isMachineError(error: unknown): boolean {
  const { code, message } = (error ?? {}) as NodeJS.ErrnoException;
  return (code !== undefined && MACHINE_ERROR_CODES.has(code)) || MACHINE_ERROR_MESSAGE.test(message ?? '');
}

/**
 * Why a local file is not a readable Parquet file, or undefined when it is. Checks what a torn or
 * truncated write breaks first (size, the `PAR1` magic at both ends, a footer length that fits
 * the file), then, with an engine, has DuckDB parse the footer and its row groups' metadata.
 * Throws, rather than judging the file, when the machine failed the check ({@link isMachineError}).
 * Reads a few bytes and the footer, never the data pages, so it stays cheap on big files.
 *
 * @example
 * const problem = await parquetFileProblem('/tmp/x.parquet', engine);
 * if (problem) console.error(`skipping x.parquet: ${problem}`);
 */
export async function parquetFileProblem(path: string, engine?: DuckDbEngine): Promise<string | undefined> {
  const handle = await open(path, 'r').catch((error: NodeJS.ErrnoException) => {
    if (isMachineError(error)) throw error;
    return error;
  });
  if (!('read' in handle)) return `cannot open: ${handle.code ?? handle.message}`;
  try {
    const { size } = await handle.stat();
    if (size === 0) return 'empty file (0 bytes)';
    if (size < MIN_SIZE) return `truncated: ${size} bytes is smaller than any Parquet file`;
    const head = Buffer.alloc(4);
    const tail = Buffer.alloc(8);
    await handle.read(head, 0, 4, 0);
    await handle.read(tail, 0, 8, size - 8);
    if (head.toString('latin1') !== MAGIC) return 'not a Parquet file: no PAR1 magic at the start';
    if (tail.toString('latin1', 4) !== MAGIC) return `truncated or torn: no PAR1 magic at the end (${size} bytes)`;
    const footer = tail.readUInt32LE(0);
    if (footer + MIN_SIZE > size) return `truncated or torn: footer of ${footer} bytes does not fit in ${size} bytes`;
  } finally {
    await handle.close();
  }
  return engine ? footerProblem(path, engine) : undefined;
}

/** Why DuckDB cannot parse the footer of a file whose bytes frame one, or undefined when it can. */
async function footerProblem(path: string, engine: DuckDbEngine): Promise<string | undefined> {
  try {
    await engine.all('SELECT count(*) AS n FROM parquet_metadata($path)', { path: duckdbLiteralPath(path) });
    return undefined;
  } catch (error) {
    if (isMachineError(error)) throw error;
    return `unreadable footer: ${(error as Error).message.split('\n')[0]}`;
  }
}

/** Files whose bytes {@link parquetFileProblems} checks at once (each an open, two reads and a close). */
const BYTE_CHECKS_AT_ONCE = 32;

/**
 * {@link parquetFileProblem} for many files: the byte checks file by file, then one DuckDB
 * statement parses every footer that passed them (a statement per file cost a lake of a hundred
 * objects 0.2 s, where one costs 0.03 s). Only when that statement fails, some footer not
 * parsing, are those files asked one at a time, to name which. Returns the problems by path;
 * a path absent from the map is a readable file. Throws when the machine failed the check.
 *
 * @example
 * const problems = await parquetFileProblems(['/tmp/a.parquet', '/tmp/b.parquet'], engine);
 * for (const [path, problem] of problems) console.error(`skipping ${path}: ${problem}`);
 */
export async function parquetFileProblems(paths: readonly string[], engine: DuckDbEngine): Promise<Map<string, string>> {
  const problems = new Map<string, string>();
  const framed: string[] = [];
  // A few dozen files at a time: one by one, the byte checks of a year of lake took seconds.
  for (let start = 0; start < paths.length; start += BYTE_CHECKS_AT_ONCE) {
    const batch = paths.slice(start, start + BYTE_CHECKS_AT_ONCE);
    const found = await Promise.all(batch.map((path) => parquetFileProblem(path)));
    batch.forEach((path, index) => {
      if (found[index]) problems.set(path, found[index]);
      else framed.push(path);
    });
  }
  if (framed.length === 0) return problems;
  try {
    await engine.all(`SELECT count(*) AS n FROM parquet_metadata(from_json($paths, '["VARCHAR"]'))`, { paths: JSON.stringify(framed.map(duckdbLiteralPath)) });
  } catch (error) {
    if (isMachineError(error)) throw error;
    for (const path of framed) {
      const problem = await footerProblem(path, engine);
      if (problem) problems.set(path, problem);
    }
  }
  return problems;
}

/**
 * Why a local Parquet file's data cannot be read whole (a damaged page its footer does not
 * reveal: a decompression or encoding failure), or undefined when every value of every column
 * decodes. Reads and hashes the whole file, so it is for a file a step already failed to read,
 * to tell a damaged file from any other failure. Throws when the machine failed the check.
 *
 * @example
 * const problem = await parquetDataProblem('/tmp/x.parquet', engine);
 * if (problem) console.error(`x.parquet is damaged: ${problem}`);
 */
export async function parquetDataProblem(path: string, engine: DuckDbEngine): Promise<string | undefined> {
  const footer = await parquetFileProblem(path, engine);
  if (footer) return footer;
  try {
    // Hashing each whole row makes DuckDB decode every column; a count could be answered from metadata.
    await engine.all('SELECT bit_xor(hash(file)) AS h FROM read_parquet($path) AS file', { path: duckdbLiteralPath(path) });
    return undefined;
  } catch (error) {
    if (isMachineError(error)) throw error;
    return `unreadable data: ${(error as Error).message.split('\n')[0]}`;
  }
}
