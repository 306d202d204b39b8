/**
 * Raised by the extract when Parameter Store will not hand it the Twitch credentials parameter:
 * the parameter does not exist, the function's role may not read it, or KMS will not decrypt it
 * for that role. Its name is the error type Step Functions sees, which the state machine does not
 * retry: the same read is refused the same way until the stack or the parameter is put right. The
 * message names the parameter, what SSM answered and what to do about it; no value was read, so
 * none can be in it.
 *
 * @example
 * throw new UnreadableCredentialsError('/twitch-pipeline-prod/twitch-credentials', 'it does not exist (ParameterNotFound)', 'run `npx nx run infra-pipeline:up -- --refresh`', { cause: error });
 * // parameter /twitch-pipeline-prod/twitch-credentials cannot be read: it does not exist (ParameterNotFound); run `npx nx run infra-pipeline:up -- --refresh`
 */
export class UnreadableCredentialsError extends Error {
  readonly parameter: string;
  constructor(parameter: string, problem: string, remedy: string, options?: ErrorOptions) {
    super(`parameter ${parameter} cannot be read: ${problem}; ${remedy}`, options);
    this.name = 'UnreadableCredentialsError';
    this.parameter = parameter;
  }
}
