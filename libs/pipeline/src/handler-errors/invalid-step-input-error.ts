/**
 * Raised by a Lambda handler when the input it was started with is not one it accepts (a
 * mistyped manual invocation, an edited state machine). Its name is the error type Step
 * Functions sees, which the state machine does not retry: the same input fails the same way.
 *
 * @example
 * const input = eventSchema.safeParse(event);
 * if (!input.success) throw new InvalidStepInputError('invalid silver input: expected { "bronzeKeys"?: string[] }');
 */
export class InvalidStepInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidStepInputError';
  }
}
