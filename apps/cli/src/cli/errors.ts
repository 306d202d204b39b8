/** Exit codes of the command, stable for scripts. */
export const EXIT = {
  ok: 0,
  /** The work failed (a step, a query, a network call). */
  failure: 1,
  /** Bad flags, arguments or configuration: nothing was done. */
  usage: 2,
  /** Stopped by SIGINT, SIGTERM or SIGHUP (the code of Ctrl-C, for every one of them). */
  interrupted: 130,
} as const;

/**
 * The code of a write refused by the file system (read-only mount, another user's folder), or
 * undefined for any other error.
 *
 * @example
 * unwritableCodeOf(Object.assign(new Error('read-only'), { code: 'EROFS' })); // 'EROFS'
 */
export function unwritableCodeOf(error: unknown): 'EROFS' | 'EACCES' | 'EPERM' | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'EROFS' || code === 'EACCES' || code === 'EPERM' ? code : undefined;
}

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

/**
 * Why a local server could not listen, as the user can act on it: its port taken by another
 * program, or below 1024 without the privilege. Any other failure is returned as it is.
 *
 * @example
 * server.once('error', (error) => failed(listenError(error, 8080, 'twitch-pipeline dashboard --serve')));
 */
export function listenError(error: unknown, port: number, command: string): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const hint = `choose another port: \`${command} --port N\` (--port 0 takes any free one)`;
  if (code === 'EADDRINUSE') return new CliError(`port ${port} on 127.0.0.1 is already in use by another program`, { hint, cause: error });
  if (code === 'EACCES') return new CliError(`port ${port} on 127.0.0.1 needs privileges this user does not have`, { hint, cause: error });
  return error;
}
