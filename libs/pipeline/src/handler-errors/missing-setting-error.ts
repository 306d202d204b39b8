/**
 * Raised by a Lambda handler when an environment variable its stack sets is missing. Its name is
 * the error type Step Functions sees, which the state machine does not retry: the same function
 * would fail the same way until the stack is deployed again.
 *
 * @example
 * const bucket = process.env.LAKE_BUCKET;
 * if (!bucket) throw new MissingSettingError('LAKE_BUCKET', 'the extract needs the lake bucket name');
 */
export class MissingSettingError extends Error {
  readonly variable: string;
  constructor(variable: string, why: string) {
    super(`${variable} is not set: ${why}`);
    this.name = 'MissingSettingError';
    this.variable = variable;
  }
}
