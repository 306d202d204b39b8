import { loadAlertRulesSync, parseAlertRules } from '@twitch-pipeline/alerts';
import { DUCKDB_ALLOCATOR_ENVIRONMENT } from '@twitch-pipeline/duckdb/allocator-environment';
import { isSecretInput, queueFindings } from '@twitch-pipeline/infra-components/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { FUNCTION_NAMES } from '../src/config';
import { CLIENT_SECRET, lambda, program, queueArn, ROOT, runProdStack, topicArn } from './support/prod-stack';

// The functions of the prod stack, their settings and credentials, and the queues that feed the consumer.
beforeAll(runProdStack);

describe('pipeline stack: functions', () => {
  it('deploys the five functions from their bundle folders on Node.js 24', async () => {
    // prepare
    const apps = { extract: 'extract', publish: 'publish', 'stream-consumer': 'stream-consumer', 'transform-silver': 'transform', 'transform-gold': 'transform' };
    // act
    const functions = FUNCTION_NAMES.map(lambda);
    // assess
    expect(program.ofType('aws:lambda/function:Function')).toHaveLength(5);
    for (const [index, fn] of FUNCTION_NAMES.entries()) {
      const { inputs } = functions[index]!;
      expect(inputs).toMatchObject({ name: `twitch-pipeline-prod-${fn}`, runtime: 'nodejs24.x', handler: 'index.handler', architectures: ['x86_64'] });
      expect(await inputs.code.path).toBe(`../../dist/apps/${apps[fn]}/${fn}`);
    }
  });

  it('takes memory and timeouts from config, with defaults for unset keys', () => {
    // prepare
    const extract = lambda('extract');
    // act
    const consumer = lambda('stream-consumer');
    // assess
    expect(extract.inputs).toMatchObject({ memorySize: 1536, timeout: 600 });
    expect(consumer.inputs).toMatchObject({ memorySize: 256, timeout: 30 });
    expect(lambda('transform-gold').inputs.ephemeralStorage).toEqual({ size: 4096 });
  });

  it('gives each function its own log group with retention', () => {
    // prepare
    const groups = program.ofType('aws:cloudwatch/logGroup:LogGroup');
    // act
    const byFunction = FUNCTION_NAMES.map((fn) => groups.find((group) => group.inputs.name === `/aws/lambda/twitch-pipeline-prod-${fn}`));
    // assess
    for (const [index, group] of byFunction.entries()) {
      expect(group?.inputs.retentionInDays).toBe(30);
      expect(lambda(FUNCTION_NAMES[index]!).inputs.loggingConfig.logGroup).toBe(group?.inputs.name);
    }
  });

  it('passes each function the configuration it reads, and never the Twitch secret itself', () => {
    // prepare
    const env = (fn: string) => lambda(fn).inputs.environment.variables;
    // act
    const all = FUNCTION_NAMES.map(env);
    // assess
    expect(env('extract')).toMatchObject({ LAKE_BUCKET: 'twitch-lake', PIPELINE_LANGUAGES: 'pt,en,es', PIPELINE_INTERVAL_MINUTES: '30', PIPELINE_TIMEZONE: 'America/Sao_Paulo' });
    expect(env('extract').TWITCH_SECRET_ARN).toBe(program.one('aws:ssm/parameter:Parameter').state.arn);
    expect(env('publish').EVENTS_QUEUE_URL).toMatch(/twitch-pipeline-prod-events$/);
    expect(env('transform-gold').HOME).toBe('/tmp');
    expect(env('stream-consumer').HOME).toBeUndefined();
    for (const fn of ['extract', 'publish', 'transform-silver', 'transform-gold']) expect(env(fn)).toMatchObject(DUCKDB_ALLOCATOR_ENVIRONMENT);
    expect(env('stream-consumer').DUCKDB_JE_MALLOC_CONF).toBeUndefined();
    expect(env('stream-consumer')).toMatchObject({ REALTIME_TABLE: 'twitch_pipeline_prod_realtime_streams', REALTIME_TTL_HOURS: '48', ALERTS_TOPIC_ARN: topicArn() });
    // The rules file is validated at preview and handed over inline, exactly as the consumer parses it.
    expect(parseAlertRules(env('stream-consumer').ALERT_RULES)).toEqual(loadAlertRulesSync(`${ROOT}libs/alerts/examples/alert-rules.json`));
    expect(env('extract').ALERT_RULES).toBeUndefined();
    for (const [index, variables] of all.entries()) {
      expect(variables).toMatchObject({ POWERTOOLS_SERVICE_NAME: FUNCTION_NAMES[index], POWERTOOLS_METRICS_NAMESPACE: 'TwitchPipeline' });
      expect(JSON.stringify(variables)).not.toContain(CLIENT_SECRET);
    }
  });

  it('stores the Twitch credentials as a free standard SecureString (AWS-managed key) in the shape extract reads', () => {
    // prepare
    const parameter = program.one('aws:ssm/parameter:Parameter');
    // act
    const stored = parameter.inputs.value;
    // assess
    expect(parameter.inputs).toMatchObject({ type: 'SecureString', tier: 'Standard', name: '/twitch-pipeline-prod/twitch-credentials' });
    expect(parameter.inputs.keyId).toBeUndefined();
    expect(program.ofType('aws:secretsmanager/secret:Secret')).toEqual([]);
    expect(isSecretInput(stored)).toBe(true);
    expect(JSON.parse(String(isSecretInput(stored) && stored.value))).toEqual({ client_id: 'client-id-for-tests', client_secret: CLIENT_SECRET });
  });
});

describe('pipeline stack: queues', () => {
  it('encrypts every queue and sends a message to the DLQ after 3 receives', () => {
    // prepare
    const redrive = program.one('aws:sqs/redrivePolicy:RedrivePolicy');
    // act
    const policy = JSON.parse(redrive.inputs.redrivePolicy);
    // assess
    expect(queueFindings(program)).toEqual([]);
    expect(program.ofType('aws:sqs/queue:Queue')).toHaveLength(2);
    expect(redrive.inputs.queueUrl).toBe(program.one('aws:sqs/queue:Queue', 'events').state.url);
    expect(policy).toEqual({ deadLetterTargetArn: queueArn('events-dlq'), maxReceiveCount: 3 });
  });

  it('sets the visibility timeout to six consumer timeouts', () => {
    // prepare
    const consumerTimeout = lambda('stream-consumer').inputs.timeout;
    // act
    const queue = program.one('aws:sqs/queue:Queue', 'events');
    // assess
    expect(queue.inputs.visibilityTimeoutSeconds).toBe(6 * consumerTimeout);
  });

  it('maps the queue to the consumer with partial batch responses', () => {
    // prepare
    const consumer = lambda('stream-consumer');
    // act
    const mapping = program.one('aws:lambda/eventSourceMapping:EventSourceMapping');
    // assess
    expect(mapping.inputs).toMatchObject({
      eventSourceArn: queueArn('events'),
      functionName: consumer.state.arn,
      functionResponseTypes: ['ReportBatchItemFailures'],
      batchSize: 10,
    });
  });
});
