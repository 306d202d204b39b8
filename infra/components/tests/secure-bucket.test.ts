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
});
