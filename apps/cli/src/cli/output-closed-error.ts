/**
 * Raised by `Io.out` once the reader of stdout has gone (`twitch-pipeline query … | head`):
 * the command stops producing output nobody reads, and exits quietly.
 *
 * @example
 * try {
 *   io.out(line);
 * } catch (error) {
 *   // The reader has all it wanted (`| head`): not a failure.
 *   if (error instanceof OutputClosedError) return EXIT.ok;
 *   throw error;
 * }
 */
export class OutputClosedError extends Error {
  constructor() {
    super('stdout was closed by its reader');
    this.name = 'OutputClosedError';
  }
}
