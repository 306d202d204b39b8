import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { policyDocument } from '@twitch-pipeline/infra-components';
import { FUNCTION_NAMES, type FunctionName, type PipelineStackConfig } from './config';
import { freshnessMetric } from './metrics';
import { pipelineDefinition } from './state-machine-definition';

/**
 * Creates the alerts topic (alarms, failed runs and the consumer's product alerts), whose policy
 * admits only CloudWatch, for this stack's alarms (the state machine and the consumer publish
 * through their own roles), and, when `alertEmail` is set, its e-mail subscription (AWS mails a
 * confirmation link first).
 *
 * @example
 * const topic = createAlertsTopic(config);
 */
export function createAlertsTopic(config: PipelineStackConfig): aws.sns.Topic {
  // Not encrypted at rest: CloudWatch alarms cannot publish to a topic encrypted with the AWS-managed key, and a
  // customer-managed key would cost $1 a month for notices that carry no secret.
  const topic = new aws.sns.Topic('alerts', { name: `${config.prefix}-alerts`, displayName: 'Twitch pipeline' });
  const identity = aws.getCallerIdentityOutput();
  const region = aws.getRegionOutput().region;
  // SNS's default policy grants every principal of the account subscribing, publishing, changing
  // the policy and deleting the topic, whatever its own IAM permissions: one replaces it.
  new aws.sns.TopicPolicy('alerts', {
    arn: topic.arn,
    policy: policyDocument([
      {
        Sid: 'AlarmsNotify',
        Effect: 'Allow',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: 'sns:Publish',
        Resource: topic.arn,
        Condition: {
          // Each alarm by name: a wildcard on the prefix would also admit another stack's alarms,
          // those of `prod-eu` into the topic of `prod`.
          ArnEquals: { 'aws:SourceArn': alarmNames(config).map((name) => pulumi.interpolate`arn:aws:cloudwatch:${region}:${identity.accountId}:alarm:${name}`) },
          StringEquals: { 'aws:SourceAccount': identity.accountId },
        },
      },
    ]),
  });
  if (config.alertEmail) {
    new aws.sns.TopicSubscription('alerts-email', { topic: topic.arn, protocol: 'email', endpoint: config.alertEmail });
  }
  return topic;
}

/** What the alarms watch. */
export interface AlarmTargets<T = pulumi.Input<string>> {
  functionNames: Record<FunctionName, T>;
  deadLetterQueueName: T;
  stateMachineArn: T;
}

/** The settings the alarms read. */
export type AlarmSettings = Pick<
  PipelineStackConfig,
  'prefix' | 'intervalMinutes' | 'errorRateThresholdPercent' | 'errorRateWindowMinutes' | 'scheduleEnabled'
>;

/** One metric an alarm reads (CloudWatch bills each standard-resolution alarm metric). */
export interface AlarmMetric<T = pulumi.Input<string>> {
  namespace: string;
  metricName: string;
  dimensions: Record<string, T>;
  stat: string;
  period: number;
}

/** One alarm as plain data: what `createAlarms` deploys and the cost model counts. */
export interface AlarmDefinition<T = pulumi.Input<string>> {
  /** Pulumi resource name; the alarm is named `<prefix>-<id>`. */
  id: string;
  description: string;
  /** The metrics it reads, by query id. */
  metrics: Record<string, AlarmMetric<T>>;
  /** Metric math over the ids, when the alarm reads more than the one metric. */
  expression?: string;
  threshold: number;
  comparisonOperator: 'GreaterThanOrEqualToThreshold' | 'GreaterThanThreshold' | 'LessThanThreshold';
  evaluationPeriods: number;
  treatMissingData: 'breaching' | 'notBreaching';
  actionsEnabled: boolean;
}

/** Functions only the state machine invokes: a window holds a known, small number of invocations. */
const SCHEDULED_STEPS: readonly FunctionName[] = ['extract', 'publish', 'transform-silver', 'transform-gold'];

/**
 * Most invocations of one step in an error-rate window: one attempt per scheduled run plus every
 * retry the state machine's definition allows its most retried step.
 *
 * @example
 * maxStepInvocationsPerWindow({ intervalMinutes: 30, errorRateWindowMinutes: 60 }); // 18: 2 runs × 9 attempts
 */
export function maxStepInvocationsPerWindow(settings: Pick<AlarmSettings, 'intervalMinutes' | 'errorRateWindowMinutes'>): number {
  const definition = JSON.parse(pipelineDefinition({ extract: 'e', publish: 'p', silver: 's', gold: 'g', alertsTopic: 't' }));
  const steps = Object.values(definition.States as Record<string, { Parameters?: { FunctionName?: string }; Retry?: { MaxAttempts: number }[] }>).filter(
    (state) => ['e', 'p', 's', 'g'].includes(state.Parameters?.FunctionName ?? ''),
  );
  const retries = Math.max(...steps.map((state) => (state.Retry ?? []).reduce((sum, rule) => sum + rule.MaxAttempts, 0)));
  return Math.ceil(settings.errorRateWindowMinutes / settings.intervalMinutes) * (1 + retries);
}

/**
 * The alarms, as plain data: a message in the DLQ; each function's error rate above the
 * threshold; a failed run; and no fresh bronze snapshot for two collection intervals. A scheduled
 * step's window holds at most {@link maxStepInvocationsPerWindow} invocations, so while one error
 * already exceeds the threshold its alarm reads `Errors` alone (one billed metric instead of two);
 * the consumer, whose invocations follow the volume, keeps the metric math `errors / invocations`.
 *
 * @example
 * alarmDefinitions(config, { functionNames, deadLetterQueueName, stateMachineArn }).length; // 8
 */
export function alarmDefinitions<T>(settings: AlarmSettings, targets: AlarmTargets<T>): AlarmDefinition<T>[] {
  const base = { evaluationPeriods: 1, treatMissingData: 'notBreaching' as const, actionsEnabled: true };
  const window = settings.errorRateWindowMinutes * 60;
  const oneErrorBreaches = 100 / maxStepInvocationsPerWindow(settings) > settings.errorRateThresholdPercent;
  const freshness = freshnessMetric(settings.prefix);
  const lambda = (fn: FunctionName, metricName: string): AlarmMetric<T> => ({
    namespace: 'AWS/Lambda',
    metricName,
    dimensions: { FunctionName: targets.functionNames[fn] },
    stat: 'Sum',
    period: window,
  });
  const errorRate = (fn: FunctionName): AlarmDefinition<T> => {
    const description = `${fn}: more than ${settings.errorRateThresholdPercent}% of invocations failed in ${settings.errorRateWindowMinutes} min.`;
    if (SCHEDULED_STEPS.includes(fn) && oneErrorBreaches) {
      return { ...base, id: `${fn}-error-rate`, description, metrics: { errors: lambda(fn, 'Errors') }, threshold: 1, comparisonOperator: 'GreaterThanOrEqualToThreshold' };
    }
    return {
      ...base,
      id: `${fn}-error-rate`,
      description,
      metrics: { errors: lambda(fn, 'Errors'), invocations: lambda(fn, 'Invocations') },
      expression: 'IF(invocations > 0, 100 * errors / invocations, 0)',
      threshold: settings.errorRateThresholdPercent,
      comparisonOperator: 'GreaterThanThreshold',
    };
  };
  return [
    {
      ...base,
      id: 'dlq-not-empty',
      description: 'Events failed 3 receives and sit in the DLQ: inspect them, fix, then redrive.',
      metrics: {
        depth: { namespace: 'AWS/SQS', metricName: 'ApproximateNumberOfMessagesVisible', dimensions: { QueueName: targets.deadLetterQueueName }, stat: 'Maximum', period: 300 },
      },
      threshold: 1,
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
    },
    ...FUNCTION_NAMES.map(errorRate),
    {
      ...base,
      // The definition sets no execution timeout (a step's timeout is caught and fails the run),
      // and an abort is a person's own action: ExecutionsFailed is every unsuccessful run.
      id: 'run-failed',
      description: 'A pipeline run failed after its retries.',
      metrics: {
        failed: { namespace: 'AWS/States', metricName: 'ExecutionsFailed', dimensions: { StateMachineArn: targets.stateMachineArn }, stat: 'Sum', period: 300 },
      },
      threshold: 1,
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
    },
    {
      id: 'no-fresh-snapshot',
      description: `No bronze snapshot landed for ${2 * settings.intervalMinutes} min (two intervals): the schedule, extract or Twitch is down.`,
      metrics: {
        snapshots: {
          namespace: freshness.namespace,
          metricName: freshness.name,
          dimensions: freshness.dimensions as Record<string, T>,
          stat: freshness.stat,
          period: settings.intervalMinutes * 60,
        },
      },
      threshold: 1,
      comparisonOperator: 'LessThanThreshold',
      evaluationPeriods: 2,
      // No data at all is the failure this alarm exists for.
      treatMissingData: 'breaching',
      // With the schedule paused, silence is expected: the alarm still shows state but sends nothing.
      actionsEnabled: settings.scheduleEnabled,
    },
  ];
}

/**
 * The names of the stack's alarms, `<prefix>-<id>`; an alarm's id does not depend on what it watches.
 *
 * @example
 * alarmNames(config); // ['twitch-pipeline-prod-dlq-not-empty', 'twitch-pipeline-prod-extract-error-rate', …]
 */
function alarmNames(settings: AlarmSettings): string[] {
  const unnamed: AlarmTargets<string> = {
    functionNames: Object.fromEntries(FUNCTION_NAMES.map((fn) => [fn, ''])) as Record<FunctionName, string>,
    deadLetterQueueName: '',
    stateMachineArn: '',
  };
  return alarmDefinitions(settings, unnamed).map((alarm) => `${settings.prefix}-${alarm.id}`);
}

/**
 * Creates the alarms of {@link alarmDefinitions}, each notifying the topic when it fires and when
 * it recovers.
 *
 * @example
 * const alarms = createAlarms(config, topic.arn, { functionNames, deadLetterQueueName, stateMachineArn });
 */
export function createAlarms(
  config: PipelineStackConfig,
  topicArn: pulumi.Input<string>,
  targets: AlarmTargets,
): aws.cloudwatch.MetricAlarm[] {
  return alarmDefinitions(config, targets).map((alarm) => {
    const entries = Object.entries(alarm.metrics);
    const single = alarm.expression === undefined && entries.length === 1 ? entries[0]![1] : undefined;
    const reads = single
      ? { namespace: single.namespace, metricName: single.metricName, dimensions: single.dimensions, statistic: single.stat, period: single.period }
      : {
          metricQueries: [
            ...entries.map(([id, { namespace, metricName, dimensions, stat, period }]) => ({
              id,
              metric: { namespace, metricName, dimensions, stat, period },
              returnData: false,
            })),
            { id: 'result', expression: alarm.expression, label: alarm.id, returnData: true },
          ],
        };
    return new aws.cloudwatch.MetricAlarm(alarm.id, {
      name: `${config.prefix}-${alarm.id}`,
      alarmDescription: alarm.description,
      ...reads,
      evaluationPeriods: alarm.evaluationPeriods,
      threshold: alarm.threshold,
      comparisonOperator: alarm.comparisonOperator,
      treatMissingData: alarm.treatMissingData,
      actionsEnabled: alarm.actionsEnabled,
      alarmActions: [topicArn],
      okActions: [topicArn],
    });
  });
}
