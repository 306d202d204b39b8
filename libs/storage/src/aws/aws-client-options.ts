/**
 * Options every AWS SDK client of the functions is built with. The SDK sets no timeout of its
 * own: one request S3, SQS or DynamoDB accepts and never answers held a function until its own
 * timeout (ten minutes for the transforms), past the deadline it stops at between objects. A
 * connection not made within 5 s, or a socket silent for 30 s (also while a body streams), fails
 * the attempt with a TimeoutError, which the SDK's retries take again. The limit is on silence,
 * not on length: a large upload or download that keeps moving is never cut.
 *
 * @example
 * const s3 = new S3Client(AWS_CLIENT_OPTIONS);
 */
export const AWS_CLIENT_OPTIONS = {
  requestHandler: { connectionTimeout: 5_000, socketTimeout: 30_000 },
} as const;
