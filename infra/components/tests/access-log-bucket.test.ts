import { describe, expect, it } from 'vitest';
import { accessLogFindings, bucketFindings, runMockedProgram, statementsOf } from '../src/testing';

// No Pulumi engine exists in tests: the components run under Pulumi's unit-test mocks.
const ACCOUNT = '123456789012';

describe('AccessLogBucket', () => {
  it('receives the logged buckets\' server access logs, partitioned by day, and admits only S3 log delivery for them', async () => {
    // prepare
    const { AccessLogBucket } = await import('../src/access-log-bucket');
    const { SecureBucket } = await import('../src/secure-bucket');
    // act
    const program = await runMockedProgram({ project: 'components', stack: 'logs' }, async () => {
      const accessLogs = new AccessLogBucket('access-logs', { expirationDays: 45 });
      const lake = new SecureBucket('lake', { versioned: true, accessLogs: accessLogs.target('lake/') });
      const results = new SecureBucket('results', { accessLogs: accessLogs.target('results/') });
      accessLogs.admit([lake, results]);
      return { name: accessLogs.name };
    });
    // assess
    expect(accessLogFindings(program, { logBucket: 'access-logs', account: ACCOUNT })).toEqual([]);
    expect(bucketFindings(program)).toEqual([]);
    const lake = program.one('aws:s3/bucket:Bucket', 'lake');
    const log = program.one('aws:s3/bucket:Bucket', 'access-logs');
    expect(program.one('aws:s3/bucketLogging:BucketLogging', 'lake').inputs).toMatchObject({
      bucket: lake.id,
      targetBucket: log.id,
      targetPrefix: 'lake/',
      targetObjectKeyFormat: { partitionedPrefix: { partitionDateSource: 'EventTime' } },
    });
    const [delivery] = statementsOf(program.one('aws:s3/bucketPolicy:BucketPolicy', 'access-logs').inputs.policy).filter(
      (statement) => statement.Effect === 'Allow',
    );
    expect(delivery).toEqual({
      Sid: 'AllowServerAccessLogDelivery',
      Effect: 'Allow',
      Principal: { Service: 'logging.s3.amazonaws.com' },
      Action: 's3:PutObject',
      Resource: `arn:aws:s3:::${log.id}/*`,
      Condition: {
        StringEquals: { 'aws:SourceAccount': ACCOUNT },
        ArnLike: { 'aws:SourceArn': [`arn:aws:s3:::${lake.id}`, 'arn:aws:s3:::results-bucket'] },
      },
    });
  });

  it('keeps the logs unversioned on SSE-S3 and expires them after the given days', async () => {
    // prepare
    const { AccessLogBucket } = await import('../src/access-log-bucket');
    const { SecureBucket } = await import('../src/secure-bucket');
    // act
    const program = await runMockedProgram({ project: 'components', stack: 'expiry' }, async () => {
      const accessLogs = new AccessLogBucket('access-logs', { expirationDays: 45, forceDestroy: true });
      accessLogs.admit([new SecureBucket('lake', { accessLogs: accessLogs.target('lake/') })]);
      return { name: accessLogs.name };
    });
    // assess
    const log = program.one('aws:s3/bucket:Bucket', 'access-logs');
    expect(log.inputs.forceDestroy).toBe(true);
    expect(program.ofType('aws:s3/bucketVersioning:BucketVersioning')).toEqual([]);
    expect(program.one('aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration', 'access-logs').inputs.rules[0]).toEqual({
      applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' },
      bucketKeyEnabled: false,
    });
    expect(program.one('aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration', 'access-logs').inputs.rules).toContainEqual({
      id: 'expire-access-logs',
      status: 'Enabled',
      filter: {},
      expiration: { days: 45 },
    });
    expect(program.ofType('aws:s3/bucketLogging:BucketLogging').map((logging) => logging.inputs.bucket)).toEqual(['lake-bucket']);
  });

  it('reports a bucket whose requests are not logged, and a log bucket admitting another bucket', async () => {
    // prepare
    const { AccessLogBucket } = await import('../src/access-log-bucket');
    const { SecureBucket } = await import('../src/secure-bucket');
    // act
    const program = await runMockedProgram({ project: 'components', stack: 'unlogged' }, async () => {
      const accessLogs = new AccessLogBucket('access-logs', { expirationDays: 90 });
      const lake = new SecureBucket('lake', { accessLogs: accessLogs.target('lake/') });
      const stray = new SecureBucket('stray');
      new SecureBucket('unlogged');
      accessLogs.admit([lake, stray]);
      return { name: accessLogs.name };
    });
    // assess
    const findings = accessLogFindings(program, { logBucket: 'access-logs', account: ACCOUNT });
    expect(findings).toContain('unlogged: no server access logs to access-logs under a prefix of its own');
    expect(findings).toContain('stray: no server access logs to access-logs under a prefix of its own');
    expect(findings.some((finding) => finding.startsWith('access-logs: log delivery admits the buckets'))).toBe(true);
  });

  it('refuses an expiry that is not whole days, a second admit, a prefix without "/", and an SSE-KMS target', async () => {
    // prepare
    const { AccessLogBucket } = await import('../src/access-log-bucket');
    const { SecureBucket } = await import('../src/secure-bucket');
    const thrown = (make: () => unknown): string => {
      try {
        make();
        return '(nothing thrown)';
      } catch (error) {
        return (error as Error).message;
      }
    };
    // act: in a program of its own, whose registrations settle before it ends (outside one, they
    // would land in the next test's mocked program, which knows none of them, and fail there)
    let refusals: Record<string, string> = {};
    await runMockedProgram({ project: 'components', stack: 'checked' }, async () => {
      const accessLogs = new AccessLogBucket('checked-logs', { expirationDays: 90 });
      accessLogs.admit([{ arn: 'arn:aws:s3:::lake' }]);
      const kms = new SecureBucket('kms-logs', { kmsKeyArn: 'arn:aws:kms:sa-east-1:123456789012:key/k' });
      refusals = {
        fractional: thrown(() => new AccessLogBucket('fractional-logs', { expirationDays: 0.5 })),
        again: thrown(() => accessLogs.admit([{ arn: 'arn:aws:s3:::other' }])),
        noSlash: thrown(() => new SecureBucket('no-slash', { accessLogs: accessLogs.target('lake') })),
        toKms: thrown(() => new SecureBucket('to-kms', { accessLogs: { bucket: kms, prefix: 'to-kms/' } })),
      };
      return {};
    });
    // assess
    expect(refusals.fractional).toContain('bucket fractional-logs: expirationDays must be a whole number of days, at least 1 (got 0.5)');
    expect(refusals.again).toContain('call it once');
    expect(refusals.noSlash).toContain('bucket no-slash: accessLogs.prefix must be a key prefix ending in "/"');
    expect(refusals.toKms).toContain('bucket to-kms: access logs would not arrive in a bucket encrypted with SSE-KMS');
  });
});
