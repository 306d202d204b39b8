/** Raised for a message body that is not a valid envelope; redelivery cannot fix it, so it ends in the DLQ. */
export class InvalidMessageError extends Error {
  constructor(readonly reason: string) {
    super(`invalid queue message: ${reason}`);
    this.name = 'InvalidMessageError';
  }
}
