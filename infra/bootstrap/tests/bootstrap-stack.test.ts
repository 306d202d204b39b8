import { fileURLToPath } from 'node:url';
import {
  accessLogFindings,
  type MockedProgram,
  bucketFindings,
  runMockedProgram,
  stackFileKeys,
} from '@twitch-pipeline/infra-components/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { BOOTSTRAP_CONFIG_KEYS, loadBootstrapConfig } from '../src/config';
import { createStateBackend } from '../src/state-backend';

// No Pulumi engine or AWS account exists in tests: the program runs under Pulumi's unit-test mocks.
const PROJECT = 'twitch-pipeline-bootstrap';
const ACCOUNT = '123456789012';
let program: MockedProgram;

beforeAll(async () => {
  program = await runMockedProgram(
    { project: PROJECT, stack: 'prod', config: { stateVersionRetentionDays: '90', customerManagedKey: 'false', keyDeletionWindowDays: '30' } },
    () => import('../index'),
  );
});

describe('bootstrap stack', () => {
  it('creates one state bucket, versioned and encrypted with S3-managed keys, and no KMS key by default', () => {
    // prepare
    const bucket = program.one('aws:s3/bucket:Bucket', 'pulumi-state');
    // act
    const versioning = program.one('aws:s3/bucketVersioning:BucketVersioning');
    const encryption = program.one('aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration', 'pulumi-state');
    // assess
    expect(program.ofType('aws:kms/key:Key')).toEqual([]);
    expect(versioning.inputs).toMatchObject({ bucket: bucket.id, versioningConfiguration: { status: 'Enabled' } });
    expect(encryption.inputs.rules[0].applyServerSideEncryptionByDefault).toEqual({ sseAlgorithm: 'AES256' });
  });

  it('keeps overwritten state versions for the configured days only', () => {
    // prepare
    const lifecycle = program.one('aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration', 'pulumi-state');
    // act
    const rule = lifecycle.inputs.rules.find((candidate: { id: string }) => candidate.id === 'expire-old-state-versions');
    // assess
    expect(rule.noncurrentVersionExpiration).toEqual({ noncurrentDays: 90 });
  });

  it('keeps every bucket private, encrypted and TLS-only', () => {
    // prepare
    const buckets = program.ofType('aws:s3/bucket:Bucket');
    // act
    const findings = bucketFindings(program);
    // assess
    expect(buckets.map((bucket) => bucket.name).sort()).toEqual(['access-logs', 'pulumi-state']);
    expect(findings).toEqual([]);
  });

  it('records every request to the state bucket in the access-log bucket, which only S3 log delivery may write to', () => {
    // prepare
    const state = program.one('aws:s3/bucket:Bucket', 'pulumi-state');
    // act
    const findings = accessLogFindings(program, { logBucket: 'access-logs', account: ACCOUNT });
    const logging = program.one('aws:s3/bucketLogging:BucketLogging');
    // assess
    expect(findings).toEqual([]);
    expect(logging.inputs).toMatchObject({ bucket: state.id, targetPrefix: 'pulumi-state/' });
    expect(program.outputs.accessLogBucketName).toBe(program.one('aws:s3/bucket:Bucket', 'access-logs').id);
  });

  it('expires the access logs after accessLogExpirationDays, 90 when unset', () => {
    // prepare
    const lifecycle = program.one('aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration', 'access-logs');
    // act
    const rule = lifecycle.inputs.rules.find((candidate: { id: string }) => candidate.id === 'expire-access-logs');
    // assess
    expect(rule).toEqual({ id: 'expire-access-logs', status: 'Enabled', filter: {}, expiration: { days: 90 } });
  });

  it('exports the backend URL and the passphrase secrets provider', () => {
    // prepare
    const bucket = program.one('aws:s3/bucket:Bucket', 'pulumi-state');
    // act
    const { backendUrl, secretsProvider } = program.outputs;
    // assess
    expect(backendUrl).toBe(`s3://${bucket.id}?region=sa-east-1`);
    expect(secretsProvider).toBe('passphrase');
  });

  it('documents and sets every config key in both stack files', () => {
    // prepare
    const expected = [...BOOTSTRAP_CONFIG_KEYS].sort();
    // act
    const dev = stackFileKeys(fileURLToPath(new URL('../Pulumi.dev.yaml', import.meta.url)), PROJECT);
    const prod = stackFileKeys(fileURLToPath(new URL('../Pulumi.prod.yaml', import.meta.url)), PROJECT);
    // assess
    expect(dev).toEqual(expected);
    expect(prod).toEqual(expected);
  });
});

describe('bootstrap stack with customerManagedKey', () => {
  it('encrypts the bucket and the secrets with a rotating customer-managed key', async () => {
    // prepare
    const withKey = await runMockedProgram(
      { project: PROJECT, stack: 'prod', config: { stateVersionRetentionDays: '90', customerManagedKey: 'true', keyDeletionWindowDays: '30' } },
      async () => {
        const backend = createStateBackend(loadBootstrapConfig());
        return { secretsProvider: backend.secretsProvider };
      },
    );
    // act
    const key = withKey.one('aws:kms/key:Key');
    const encryption = withKey.one('aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration', 'pulumi-state');
    // assess
    expect(key.inputs).toMatchObject({ enableKeyRotation: true, deletionWindowInDays: 30 });
    expect(encryption.inputs.rules[0].applyServerSideEncryptionByDefault).toEqual({ sseAlgorithm: 'aws:kms', kmsMasterKeyId: key.state.arn });
    expect(encryption.inputs.rules[0].bucketKeyEnabled).toBe(true);
    // Log delivery cannot write into an SSE-KMS bucket: the access logs stay on SSE-S3.
    const logEncryption = withKey.one('aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration', 'access-logs');
    expect(logEncryption.inputs.rules[0].applyServerSideEncryptionByDefault).toEqual({ sseAlgorithm: 'AES256' });
    expect(accessLogFindings(withKey, { logBucket: 'access-logs', account: ACCOUNT })).toEqual([]);
    expect(withKey.one('aws:kms/alias:Alias').inputs.name).toBe('alias/twitch-pipeline-prod-pulumi-secrets');
    expect(withKey.outputs.secretsProvider).toBe('awskms://alias/twitch-pipeline-prod-pulumi-secrets?region=sa-east-1');
  });
});
