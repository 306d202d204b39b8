import { fileURLToPath } from 'node:url';
import {
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
    const bucket = program.one('aws:s3/bucket:Bucket');
    // act
    const versioning = program.one('aws:s3/bucketVersioning:BucketVersioning');
    const encryption = program.one('aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration');
    // assess
    expect(program.ofType('aws:kms/key:Key')).toEqual([]);
    expect(versioning.inputs).toMatchObject({ bucket: bucket.id, versioningConfiguration: { status: 'Enabled' } });
    expect(encryption.inputs.rules[0].applyServerSideEncryptionByDefault).toEqual({ sseAlgorithm: 'AES256' });
  });

  it('keeps overwritten state versions for the configured days only', () => {
    // prepare
    const lifecycle = program.one('aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration');
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
    expect(buckets).toHaveLength(1);
    expect(findings).toEqual([]);
  });

  it('exports the backend URL and the passphrase secrets provider', () => {
    // prepare
    const bucket = program.one('aws:s3/bucket:Bucket');
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
    const encryption = withKey.one('aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration');
    // assess
    expect(key.inputs).toMatchObject({ enableKeyRotation: true, deletionWindowInDays: 30 });
    expect(encryption.inputs.rules[0].applyServerSideEncryptionByDefault).toEqual({ sseAlgorithm: 'aws:kms', kmsMasterKeyId: key.state.arn });
    expect(encryption.inputs.rules[0].bucketKeyEnabled).toBe(true);
    expect(withKey.one('aws:kms/alias:Alias').inputs.name).toBe('alias/twitch-pipeline-prod-pulumi-secrets');
    expect(withKey.outputs.secretsProvider).toBe('awskms://alias/twitch-pipeline-prod-pulumi-secrets?region=sa-east-1');
  });
});
