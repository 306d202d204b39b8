import { describe, expect, it } from 'vitest';
import { bucketFindings, runMockedProgram } from '../src/testing';

// No Pulumi engine exists in tests: the component runs under Pulumi's unit-test mocks.
describe('SecureBucket', () => {
  it('creates a private, SSE-S3 encrypted, TLS-only bucket with the given lifecycle rules', async () => {
    // prepare
    const { SecureBucket } = await import('../src/secure-bucket');
    // act
    const program = await runMockedProgram({ project: 'components', stack: 'test' }, async () => {
      const bucket = new SecureBucket('results', {
        lifecycleRules: [{ id: 'expire', status: 'Enabled', filter: {}, expiration: { days: 7 } }],
      });
      return { name: bucket.name };
    });
    // assess
    expect(bucketFindings(program)).toEqual([]);
    const encryption = program.one('aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration');
    expect(encryption.inputs.rules[0].applyServerSideEncryptionByDefault).toEqual({ sseAlgorithm: 'AES256' });
    const lifecycle = program.one('aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration');
    expect(lifecycle.inputs.rules.map((rule: { id: string }) => rule.id)).toEqual([
      'abort-incomplete-multipart-uploads',
      'expire',
    ]);
    expect(program.ofType('aws:s3/bucketVersioning:BucketVersioning')).toEqual([]);
    expect(program.one('aws:s3/bucketOwnershipControls:BucketOwnershipControls').inputs.rule).toEqual({
      objectOwnership: 'BucketOwnerEnforced',
    });
  });

  it('keeps versions when versioned and expires noncurrent ones after the given days, once versioning is on', async () => {
    // prepare
    const { SecureBucket } = await import('../src/secure-bucket');
    // act
    const program = await runMockedProgram({ project: 'components', stack: 'versioned' }, async () => {
      const bucket = new SecureBucket('lake', { versioned: true, noncurrentVersionDays: 30 });
      return { name: bucket.name };
    });
    // assess
    expect(program.one('aws:s3/bucketVersioning:BucketVersioning').inputs.versioningConfiguration).toEqual({ status: 'Enabled' });
    const rules = program.one('aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration').inputs.rules;
    expect(rules).toContainEqual({
      id: 'expire-noncurrent-versions',
      status: 'Enabled',
      filter: {},
      noncurrentVersionExpiration: { noncurrentDays: 30 },
      expiration: { expiredObjectDeleteMarker: true },
    });
    expect(bucketFindings(program)).toEqual([]);
  });

  it('refuses a noncurrent-version expiry on an unversioned bucket, or one that is not whole days', async () => {
    // prepare
    const { SecureBucket } = await import('../src/secure-bucket');
    // act
    const unversioned = () => new SecureBucket('plain', { noncurrentVersionDays: 30 });
    const fractional = () => new SecureBucket('fractional', { versioned: true, noncurrentVersionDays: 0.5 });
    // assess
    expect(unversioned).toThrow(/bucket plain: noncurrentVersionDays needs versioned: true/);
    expect(fractional).toThrow(/whole number of days, at least 1/);
  });
});
