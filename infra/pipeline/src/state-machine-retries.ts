// The state machine's retriers, and the worst case they give the extract against the schedule.

/** Retries of Lambda service errors and throttles (the function did not run): quick. */
const SERVICE_RETRY = { IntervalSeconds: 2, MaxAttempts: 6, BackoffRate: 2 };
/** Retries of a step that ran and failed; the extract gets one, so its worst case fits the schedule period. */
const TASK_RETRY = { IntervalSeconds: 30, BackoffRate: 2 };
/** Retries of a step that ran and failed, by step. */
export const TASK_ATTEMPTS = { extract: 1, other: 2 };
/** Retries of the guard's listing and of the notices: a brief throttle or outage of the service called. */
export const QUICK_RETRY = [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 2, MaxAttempts: 3, BackoffRate: 2, JitterStrategy: 'FULL' }];

/**
 * Errors a step's function raises when running it again cannot help (`libs/pipeline` handler
 * errors, among them a Twitch credentials parameter of the wrong shape or one Parameter Store
 * will not hand over: missing, not readable by the role, not decryptable by KMS; and an invalid
 * `PIPELINE_*` setting): the run fails at once rather than after its retries. A throttled or
 * failed read of the parameter is none of these, and is retried.
 */
const NOT_RETRIED = ['MissingSettingError', 'InvalidStepInputError', 'MalformedCredentialsError', 'UnreadableCredentialsError', 'ConfigError'];

/**
 * A Lambda step's retriers: none for an error a retry cannot mend, quick ones for Lambda's own
 * service errors and throttles, `taskRetries` spaced ones for a step that ran and failed.
 *
 * @example
 * const extract = { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Retry: retries(TASK_ATTEMPTS.extract) };
 */
export function retries(taskRetries: number) {
  return [
    { ErrorEquals: NOT_RETRIED, MaxAttempts: 0 },
    {
      ErrorEquals: [
        'Lambda.ServiceException',
        'Lambda.AWSLambdaException',
        'Lambda.SdkClientException',
        'Lambda.TooManyRequestsException',
      ],
      ...SERVICE_RETRY,
      JitterStrategy: 'FULL',
    },
    {
      // The step itself failed (Helix outage, S3 error, timeout): every step is idempotent, so retry it whole.
      ErrorEquals: ['States.TaskFailed', 'States.Timeout'],
      ...TASK_RETRY,
      MaxAttempts: taskRetries,
      JitterStrategy: 'FULL',
    },
  ];
}

/** Sum of the delays before retries 1..n of a Step Functions retrier (full jitter only shortens them). */
function retryDelays(retrier: { IntervalSeconds: number; BackoffRate: number }, count: number): number {
  return Array.from({ length: count }, (_, index) => retrier.IntervalSeconds * retrier.BackoffRate ** index).reduce((sum, delay) => sum + delay, 0);
}

/**
 * The longest the Extract state can take: every attempt running to the function's timeout (the
 * crawl itself stops before it: the handler aborts it with the time left, and each rate-limit
 * wait is bounded), plus the delays between attempts and the worst run of throttled invocations.
 *
 * @example
 * extractWorstCaseSeconds(600); // 1356: two attempts of 600 s, 30 s between them, 126 s of throttle retries
 */
export function extractWorstCaseSeconds(extractTimeoutSeconds: number): number {
  const attempts = 1 + TASK_ATTEMPTS.extract;
  return attempts * extractTimeoutSeconds + retryDelays(TASK_RETRY, TASK_ATTEMPTS.extract) + retryDelays(SERVICE_RETRY, SERVICE_RETRY.MaxAttempts);
}

/**
 * Refuses a stack whose extract could still be running when the next cycle is due: that cycle
 * would be skipped by the overlap guard and its snapshot never taken.
 *
 * @example
 * assertExtractFitsSchedule(600, 30); // passes: 1356 s < 1800 s
 */
export function assertExtractFitsSchedule(extractTimeoutSeconds: number, intervalMinutes: number): void {
  const worst = extractWorstCaseSeconds(extractTimeoutSeconds);
  if (worst >= intervalMinutes * 60) {
    throw new Error(
      `the extract's worst case (${worst} s: ${1 + TASK_ATTEMPTS.extract} attempts of extractTimeoutSeconds=${extractTimeoutSeconds} plus retry delays) ` +
        `does not fit in the schedule period of ${intervalMinutes * 60} s (intervalMinutes=${intervalMinutes}): lower extractTimeoutSeconds or raise intervalMinutes`,
    );
  }
}
