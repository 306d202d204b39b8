/** Exit codes of the command, stable for scripts. */
export const EXIT = {
  ok: 0,
  /** The work failed (a step, a query, a network call). */
  failure: 1,
  /** Bad flags, arguments or configuration: nothing was done. */
  usage: 2,
  /** Stopped by SIGINT/SIGTERM. */
  interrupted: 130,
} as const;

/**
 * An error the user can act on: the message says what went wrong, the hint what to do next.
 *
 * @example
 * throw new CliError('no snapshots in ./data/lake yet', { hint: 'run `twitch-pipeline run` first' });
 */
export class CliError extends Error {
  readonly exitCode: number;
  readonly hint?: string;

  constructor(message: string, options: { exitCode?: number; hint?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'CliError';
    this.exitCode = options.exitCode ?? EXIT.failure;
    this.hint = options.hint;
  }
}

/**
 * A {@link CliError} for bad flags or arguments (exit code 2).
 *
 * @example
 * throw usageError('--hours must be a positive number', 'twitch-pipeline backfill --help');
 */
export function usageError(message: string, helpCommand: string): CliError {
  return new CliError(message, { exitCode: EXIT.usage, hint: `see \`${helpCommand}\`` });
}
