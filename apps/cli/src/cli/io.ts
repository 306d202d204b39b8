/** Where a command writes: results to stdout, progress and diagnostics to stderr. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** Whether stderr is a terminal (progress bars redraw in place only then). */
  readonly interactive: boolean;
}

/**
 * The process's own streams.
 *
 * @example
 * const io = processIo();
 * io.out('hello\n');
 */
export function processIo(): Io {
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    interactive: Boolean(process.stderr.isTTY),
  };
}

/**
 * JSON for scripts: BigInts become numbers when safe (strings otherwise), Dates ISO strings.
 *
 * @example
 * io.out(toJson({ rows: 10n }));  // '{\n  "rows": 10\n}\n'
 */
export function toJson(value: unknown): string {
  return `${JSON.stringify(
    value,
    (_key, inner) => {
      if (typeof inner !== 'bigint') return inner;
      return inner <= BigInt(Number.MAX_SAFE_INTEGER) && inner >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(inner) : String(inner);
    },
    2,
  )}\n`;
}
