/**
 * Raised by `Io.out` once the reader of stdout has gone (`twitch-pipeline query … | head`):
 * the command stops producing output nobody reads, and exits quietly.
 */
export class OutputClosedError extends Error {
  constructor() {
    super('stdout was closed by its reader');
    this.name = 'OutputClosedError';
  }
}
