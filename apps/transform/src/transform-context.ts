import { S3Client } from '@aws-sdk/client-s3';
import { createTracer } from '@twitch-pipeline/observability/tracing';
import { MissingSettingError } from '@twitch-pipeline/pipeline';
import { loadConfig, type PipelineConfig } from '@twitch-pipeline/schemas';
import { AWS_CLIENT_OPTIONS, S3ObjectStore } from '@twitch-pipeline/storage';

/** What a transform handler is wired with; every part defaults to the real AWS one. */
export interface TransformHandlerDependencies {
  env?: Record<string, string | undefined>;
  s3?: S3Client;
}

/** The configuration and lake store of a warm container, built on first use. */
export interface TransformContext {
  config: PipelineConfig;
  store: S3ObjectStore;
}

/**
 * Returns a getter that reads the configuration once per container (invalid variables fail
 * with one message naming each) and opens the lake bucket named by `LAKE_BUCKET`.
 *
 * @example
 * const context = transformContext({ env: process.env });
 * const { store, config } = context();
 */
export function transformContext(dependencies: TransformHandlerDependencies): () => TransformContext {
  let context: TransformContext | undefined;
  return () => {
    if (!context) {
      const config = loadConfig(dependencies.env ?? process.env);
      const bucket = config.aws.lakeBucket;
      if (!bucket) throw new MissingSettingError('LAKE_BUCKET', 'the transform needs the lake bucket name');
      // Traced: a slow cycle shows its S3 calls under the function's X-Ray segment.
      const s3 = dependencies.s3 ?? createTracer().captureAWSv3Client(new S3Client(AWS_CLIENT_OPTIONS));
      context = { config, store: new S3ObjectStore(s3, bucket) };
    }
    return context;
  };
}
