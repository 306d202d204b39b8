import { OutputClosedError } from './output-closed-error';
import { OutputFailedError } from './output-failed-error';

/** Where a command writes: results to stdout, progress and diagnostics to stderr. */
export interface Io {
  /** Text, or bytes already encoded as UTF-8 (a result's lines as DuckDB formatted them). */
  out(text: string | Uint8Array): void;
  /**
   * Settles once stdout has taken what `out` was given (or has closed). A command printing a
   * result of any size awaits it between chunks: a pipe to a slower reader is written
   * asynchronously, and without the wait the unread text would pile up in memory.
   */
  drained(): Promise<void>;
  err(text: string): void;
  /**
   * Settles once what `out` was given is written, rejecting with {@link OutputFailedError} when
   * stdout refused it, or {@link OutputClosedError} when its reader had left. A stream reports a failed write after the write returned, so the last
   * lines of a command can fail after it returned: the caller asks once the command is done.
   */
  finished?(): Promise<void>;
  /** Whether stderr is a terminal (progress bars redraw in place only then). */
  readonly interactive: boolean;
  /** Whether stdout is a terminal: a result printed there must not carry what a terminal acts on. */
  readonly outputIsTerminal?: boolean;
}

function isClosedPipe(error: NodeJS.ErrnoException): boolean {
  return error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED';
}

function drainedStream(stream: NodeJS.WriteStream): Promise<void> {
  if (!stream.writableNeedDrain || stream.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      stream.off('drain', done);
      stream.off('close', done);
      stream.off('error', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('close', done);
    stream.on('error', done);
  });
}

/**
 * The process's own streams. A reader that closes stdout early (a pipe into `head`) makes the
 * next `out` raise {@link OutputClosedError} instead of crashing the process with an unhandled
 * EPIPE; stdout refusing a write otherwise (a full disk) makes it raise {@link OutputFailedError},
 * and {@link Io.finished} reports a refusal of the last lines. A stderr that fails in any way only
 * silences diagnostics: the work, and its result on stdout, go on without them.
 *
 * @example
 * const io = processIo();
 * io.out('hello\n');
 * await io.drained();
 * await io.finished?.(); // throws OutputFailedError after `> /dev/full`
 */
export function processIo(): Io {
  let stdoutClosed = false;
  let stdoutFailure: OutputFailedError | undefined;
  let stderrClosed = false;
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (isClosedPipe(error)) stdoutClosed = true;
    // The first refusal is the one to report: the writes after it fail because of it.
    else stdoutFailure ??= new OutputFailedError(error);
  });
  process.stderr.on('error', () => {
    stderrClosed = true;
  });
  return {
    out: (text) => {
      if (stdoutFailure) throw stdoutFailure;
      if (stdoutClosed) throw new OutputClosedError();
      process.stdout.write(text);
    },
    // Node's stdout is never destroyed: after its error it still reads as needing a drain that no
    // event will end, and the command hung until the loop emptied (exit code 13, not 0).
    drained: () => (stdoutClosed || stdoutFailure ? Promise.resolve() : drainedStream(process.stdout)),
    finished: async () => {
      if (!stdoutClosed && !stdoutFailure) await drainedStream(process.stdout);
      // A write to a file fails synchronously, but its error is emitted on a later tick.
      await new Promise((resolve) => setImmediate(resolve));
      if (stdoutFailure) throw stdoutFailure;
      if (stdoutClosed) throw new OutputClosedError();
    },
    err: (text) => {
      if (!stderrClosed) process.stderr.write(text);
    },
    interactive: Boolean(process.stderr.isTTY),
    outputIsTerminal: Boolean(process.stdout.isTTY),
  };
}

/**
 * Characters JSON.stringify leaves raw that a terminal acts on (DEL and the C1 controls, one of
 * which starts an escape sequence) or that reorder or break what it shows: escaped as `\uXXXX`,
 * which every JSON reader reads back as the same character.
 */
const RAW_IN_JSON = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * JSON text as a terminal may show it: the characters {@link toJson} escapes, escaped the same way
 * in JSON another writer formatted (DuckDB's leaves C1 controls raw), so it reads back the same.
 *
 * @example
 * jsonForTerminal('{"title":"\u009b31m"}'); // '{"title":"\\u009b31m"}'
 */
export function jsonForTerminal(text: string): string {
  return text.replace(RAW_IN_JSON, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * JSON for scripts: BigInts become numbers when safe (strings otherwise), Dates ISO strings.
 *
 * @example
 * io.out(toJson({ rows: 10n }));  // '{\n  "rows": 10\n}\n'
 */
export function toJson(value: unknown): string {
  return `${jsonForTerminal(String(JSON.stringify(value, bigintAsNumber, 2)))}\n`;
}

/**
 * {@link toJson} on one line: a document of a stream of them (JSON Lines), as a long-running
 * command prints one per event.
 *
 * @example
 * io.out(toJsonLine({ rows: 10n })); // '{"rows":10}\n'
 */
export function toJsonLine(value: unknown): string {
  return `${jsonForTerminal(String(JSON.stringify(value, bigintAsNumber)))}\n`;
}

/**
 * A 64-bit or larger integer as the CLI shows it: a number when exact, its digits as text otherwise.
 *
 * @example
 * exactNumberOrText(10n); // 10
 * exactNumberOrText(2n ** 53n + 1n); // '9007199254740993'
 */
export function exactNumberOrText(value: bigint): number | string {
  return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(value) : String(value);
}

function bigintAsNumber(_key: string, inner: unknown): unknown {
  return typeof inner === 'bigint' ? exactNumberOrText(inner) : inner;
}

/**
 * A JSON array written an element at a time, laid out as DuckDB's JSON writer lays out a
 * `COPY … (FORMAT json, ARRAY true)` file: one element per line after a tab, an empty array
 * as `[`, a tab and `]` on three lines. `query --format json` prints a query DuckDB writes and
 * one it formats value by value (several statements, PRAGMA) alike, so a script that reads it
 * a line at a time reads either. A result of any size goes out without being held: `element`
 * per value, then `close`.
 *
 * @example
 * const array = new JsonArrayWriter((text) => io.out(text));
 * array.element({ a: 1 });
 * array.close(); // '[\n\t{"a":1}\n]\n' in all
 */
export class JsonArrayWriter {
  private count = 0;

  constructor(private readonly write: (text: string) => void) {}

  element(value: unknown): void {
    // JSON.stringify escapes "\n" inside strings, so the element stays on its line.
    const text = `\t${JSON.stringify(value, bigintAsNumber)}`;
    this.write(this.count === 0 ? `[\n${text}` : `,\n${text}`);
    this.count += 1;
  }

  close(): void {
    this.write(this.count === 0 ? '[\n\t\n]\n' : '\n]\n');
  }
}

/**
 * A file size as the commands print it, in decimal units: bytes below a kilobyte (a small export
 * is not "1 kB"), then kB and MB.
 *
 * @example
 * sizeText(30); // '30 B'
 * sizeText(48_213); // '48 kB'
 * sizeText(2_400_000); // '2.4 MB'
 */
export function sizeText(bytes: number): string {
  if (bytes < 1e3) return `${bytes} B`;
  return bytes < 1e6 ? `${Math.round(bytes / 1e3)} kB` : `${(bytes / 1e6).toFixed(1)} MB`;
}

