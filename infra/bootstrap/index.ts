import { loadBootstrapConfig } from './src/config';
import { createStateBackend } from './src/state-backend';

const backend = createStateBackend(loadBootstrapConfig());

/** Bucket holding the state of the data and pipeline stacks. */
export const stateBucketName = backend.bucket.name;
/** Bucket of the state bucket's S3 server access logs (under `pulumi-state/`). */
export const accessLogBucketName = backend.accessLogs.name;
/** `pulumi login <backendUrl>` before working on the data and pipeline stacks. */
export const backendUrl = backend.backendUrl;
/** `pulumi stack init <stack> --secrets-provider <secretsProvider>`. */
export const secretsProvider = backend.secretsProvider;
/** ARN of the customer-managed key, when `customerManagedKey` is set. */
export const secretsKeyArn = backend.secretsKey?.arn;
