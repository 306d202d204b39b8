import { Tracer } from '@aws-lambda-powertools/tracer';

/**
 * A Powertools Tracer for one function (default service: `POWERTOOLS_SERVICE_NAME`). It records
 * only inside Lambda with active tracing (`tracingConfig: Active`); elsewhere (tests, the local
 * CLI) every call is a no-op.
 *
 * @example
 * const tracer = createTracer('extract');
 * const s3 = tracer.captureAWSv3Client(new S3Client({}));
 */
export function createTracer(serviceName?: string): Tracer {
  return new Tracer(serviceName ? { serviceName } : {});
}

export { Tracer };
