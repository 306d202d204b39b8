import { Tracer } from '@aws-lambda-powertools/tracer';

/**
 * A Powertools Tracer for one function (default service: `POWERTOOLS_SERVICE_NAME`). It records
 * only inside Lambda with active tracing (`tracingConfig: Active`); elsewhere (tests, the local
 * CLI) every call is a no-op.
 *
 * Imported from `@twitch-pipeline/observability/tracing`, never through the package index: the
 * X-Ray SDK under the Tracer turns on async hooks in any process that loads it (cls-hooked), and
 * every `await` there then costs about ten times as much. Only the traced Lambda handlers pay
 * that; the pipeline steps and the local commands never load it.
 *
 * @example
 * const tracer = createTracer('extract');
 * const s3 = tracer.captureAWSv3Client(new S3Client({}));
 */
export function createTracer(serviceName?: string): Tracer {
  return new Tracer(serviceName ? { serviceName } : {});
}

export { Tracer };
