import { CliError } from './errors';

/**
 * Raised by `Io.out` once stdout refused a write for a reason other than its reader leaving (a
 * full disk behind `> file`, `/dev/full`, a terminal gone): the result did not reach where it was
 * sent, which is a failure, said in one line rather than a stack trace.
 *
 * @example
 * process.stdout.on('error', (error) => {
 *   failure = new OutputFailedError(error);
 * });
 * // reported as: error: cannot write the output: ENOSPC: no space left on device, write
 */
export class OutputFailedError extends CliError {
  constructor(cause: Error) {
    super(`cannot write the output: ${cause.message}`, { cause });
    this.name = 'OutputFailedError';
  }
}
