/**
 * Raised for a message body that is not a valid envelope, or holds events that are not valid;
 * redelivery cannot fix it, so it ends in the DLQ. `written` counts the message's valid events
 * written before it was found invalid.
 *
 * @example
 * try {
 *   await writeEnvelope(table, record.body, { ttlHours: 48 });
 * } catch (error) {
 *   // Redelivery cannot fix the body: to the DLQ at once, with the reason.
 *   if (!(error instanceof InvalidMessageError)) throw error;
 *   await dlq.add({ messageId: record.messageId, body: record.body }, error.reason);
 * }
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
