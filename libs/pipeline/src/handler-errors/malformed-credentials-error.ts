/** The shape the Twitch credentials parameter must hold, named in the error, never its value. */
const EXPECTED_SHAPE = 'expected {"client_id": ..., "client_secret": ...}';

/**
 * Raised by the extract when the Parameter Store value of the Twitch credentials does not have
 * their shape (not JSON, a field missing, empty or holding a line break). Its name is the error
 * type Step Functions sees, which the state machine does not retry: the same value fails the same
 * way until someone stores a correct one. The message names the parameter and what is wrong with
 * it, never the value, which is a secret.
 *
 * @example
 * throw new MalformedCredentialsError('/twitch-pipeline-prod/twitch-credentials', 'client_secret must not be empty');
 * // parameter /twitch-pipeline-prod/twitch-credentials: client_secret must not be empty: expected {"client_id": ..., "client_secret": ...}
 */
export class MalformedCredentialsError extends Error {
  readonly parameter: string;
  constructor(parameter: string, problem: string) {
    super(`parameter ${parameter}: ${problem}: ${EXPECTED_SHAPE}`);
    this.name = 'MalformedCredentialsError';
    this.parameter = parameter;
  }
}
