/**
 * Raised when another deliverer holds a live claim on an alert: the message is retried later, so the alert is never lost.
 *
 * @example
 * await evaluateAlerts(options).catch((error) => {
 *   // Rethrown all the same: the message fails now, and its redelivery finds the alert delivered.
 *   if (error instanceof AlertClaimedElsewhereError) console.warn(`alert ${error.key} is being delivered elsewhere`);
 *   throw error;
 * });
 */
export class AlertClaimedElsewhereError extends Error {
  constructor(readonly key: string) {
    super(`alert ${key} is being delivered by another consumer; the message will be retried`);
    this.name = 'AlertClaimedElsewhereError';
  }
}
