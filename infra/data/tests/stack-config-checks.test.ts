import { MAX_STACK_NAME_LENGTH } from '@twitch-pipeline/infra-components';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { calendarDateOf, crawlerScheduleOf } from '../src/config';
import { runDataProgram } from './support/data-program';

// No Pulumi engine or AWS account exists in tests: the program runs under Pulumi's mocks, once
// per stack name or setting, and what it refuses there `pulumi preview` refuses.
beforeEach(() => {
  // A fresh copy of the program for each run: an imported module runs once.
  vi.resetModules();
});

const KEY = 'twitch-pipeline-data:crawlerSchedule';

describe('data stack: stack names', () => {
  it.each(['Prod', 'prod.eu', 'prod_eu', `p${'x'.repeat(MAX_STACK_NAME_LENGTH)}`])('refuses the stack name %s at preview', async (stack) => {
    // act
    const deployed = runDataProgram({ stack });
    // assess
    await expect(deployed).rejects.toThrow(`stack name "${stack}"`);
  });

  it('fits the longest accepted stack name into the connector catalog name, which AWS limits to 64 of [a-z0-9-_]', async () => {
    // prepare
    const stack = `prod-${'x'.repeat(MAX_STACK_NAME_LENGTH - 5)}`;
    // act
    const program = await runDataProgram({ stack });
    // assess
    const connector = program.one('aws:serverlessrepository/cloudFormationStack:CloudFormationStack');
    expect(connector.inputs.parameters.AthenaCatalogName).toMatch(/^[a-z0-9-_]{1,64}$/);
    expect(program.one('aws:cloudwatch/logGroup:LogGroup').inputs.name).toBe(`/aws/lambda/${connector.inputs.parameters.AthenaCatalogName}`);
    expect(program.one('aws:athena/dataCatalog:DataCatalog').inputs.name).toBe(`twitch_pipeline_${stack.replaceAll('-', '_')}_realtime`);
  });
});

describe('data stack: settings AWS would refuse only at up', () => {
  it.each([
    ['crawlerSchedule', 'every day', `${KEY} "every day" is not a Glue schedule`],
    ['crawlerSchedule', 'cron(15 3 * * ?)', 'six fields'],
    ['projectionStartDate', '2025-13-45', 'twitch-pipeline-data:projectionStartDate "2025-13-45" is not a calendar date'],
    ['logRetentionDays', '10', 'twitch-pipeline-data:logRetentionDays is 10 days, which CloudWatch Logs refuses'],
    ['dynamodbConnectorMemoryMb', '1536.5', 'twitch-pipeline-data:dynamodbConnectorMemoryMb must be a whole number (got "1536.5")'],
    ['athenaBytesScannedCutoffMb', '1024.5', 'twitch-pipeline-data:athenaBytesScannedCutoffMb must be a whole number'],
    ['accessLogExpirationDays', '90days', 'twitch-pipeline-data:accessLogExpirationDays must be a whole number (got "90days")'],
    ['accessLogExpirationDays', '0', 'twitch-pipeline-data:accessLogExpirationDays must be at least 1 (got 0)'],
  ])('refuses %s=%s at preview, naming the key', async (key, value, message) => {
    // act
    const deployed = runDataProgram({ config: { [key]: value } });
    // assess
    await expect(deployed).rejects.toThrow(message);
  });

  it('expires the access logs after the accessLogExpirationDays set', async () => {
    // act
    const program = await runDataProgram({ config: { accessLogExpirationDays: '400' } });
    // assess
    const rules = program.one('aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration', 'access-logs').inputs.rules;
    expect(rules).toContainEqual({ id: 'expire-access-logs', status: 'Enabled', filter: {}, expiration: { days: 400 } });
  });

  it.each(['true', 'false'])('lets forceDestroy=%s decide for every bucket, the access-log bucket included', async (forceDestroy) => {
    // act
    const program = await runDataProgram({ config: { forceDestroy } });
    // assess
    const buckets = program.ofType('aws:s3/bucket:Bucket');
    expect(buckets.map((bucket) => bucket.name).sort()).toEqual(['access-logs', 'athena-results', 'lake']);
    for (const bucket of buckets) expect(bucket.inputs.forceDestroy).toBe(forceDestroy === 'true');
  });

  it('gives the crawlers a valid cron schedule', async () => {
    // act
    const program = await runDataProgram({ config: { crawlerSchedule: 'cron(15 3 * * ? *)' } });
    // assess
    const crawlers = program.ofType('aws:glue/crawler:Crawler');
    expect(crawlers.length).toBeGreaterThan(0);
    for (const crawler of crawlers) expect(crawler.inputs.schedule).toBe('cron(15 3 * * ? *)');
  });

  it.each(['', 'cron(15 3 * * ? *)', 'cron(0/30 * ? * MON-FRI *)', 'cron(0 12 1 JAN,JUL ? 2026)'])('accepts the schedule %j', (schedule) => {
    // act
    const checked = crawlerScheduleOf(KEY, schedule);
    // assess
    expect(checked).toBe(schedule);
  });

  it.each(['rate(1 day)', 'cron(15 3 * * * *)', 'cron(15 3 1 * MON *)', 'cron(15 3 * * ? * *)', 'cron(15 3 * * ? *) '.repeat(2)])(
    'refuses the schedule %j',
    (schedule) => {
      // act
      const check = () => crawlerScheduleOf(KEY, schedule);
      // assess
      expect(check).toThrow('e.g. "cron(15 3 * * ? *)"');
    },
  );

  it('accepts a calendar date only', () => {
    // act
    const leap = calendarDateOf('key', '2024-02-29');
    const notLeap = () => calendarDateOf('key', '2025-02-29');
    const dayZero = () => calendarDateOf('key', '2025-01-00');
    // assess
    expect(leap).toBe('2024-02-29');
    expect(notLeap).toThrow('key "2025-02-29" is not a calendar date of the form YYYY-MM-DD');
    expect(dayZero).toThrow('is not a calendar date');
  });
});
