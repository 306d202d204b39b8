/**
 * Raised for a message body that is not a valid envelope, or holds events that are not valid;
 * redelivery cannot fix it, so it ends in the DLQ. `written` counts the message's valid events
 * written before it was found invalid.
 */
export class InvalidMessageError extends Error {
  constructor(
    readonly reason: string,
    readonly written = 0,
  ) {
    super(`invalid queue message: ${reason}`);
    this.name = 'InvalidMessageError';
  }
}
