import * as aws from '@pulumi/aws';
import type * as pulumi from '@pulumi/pulumi';
import { FUNCTION_NAMES, type FunctionName, type PipelineStackConfig } from './config';
import { FRESHNESS_METRIC } from './metrics';

/**
 * Creates the alerts topic (alarms, failed runs and the consumer's product alerts) and,
 * when `alertEmail` is set, its e-mail subscription (AWS mails a confirmation link first).
 *
 * @example
 * const topic = createAlertsTopic(config);
 */
export function createAlertsTopic(config: PipelineStackConfig): aws.sns.Topic {
  // Left on SNS's default encryption: CloudWatch alarms cannot publish to a topic encrypted with the AWS-managed key.
  const topic = new aws.sns.Topic('alerts', { name: `${config.prefix}-alerts`, displayName: 'Twitch pipeline' });
  if (config.alertEmail) {
    new aws.sns.TopicSubscription('alerts-email', { topic: topic.arn, protocol: 'email', endpoint: config.alertEmail });
  }
  return topic;
}

/** What the alarms watch. */
export interface AlarmTargets {
  topicArn: pulumi.Input<string>;
  functionNames: Record<FunctionName, pulumi.Input<string>>;
  deadLetterQueueName: pulumi.Input<string>;
  stateMachineArn: pulumi.Input<string>;
}

/**
 * Creates the alarms, each notifying the topic when it fires and when it recovers:
 * a message in the DLQ; a function's error rate above the threshold (metric math
 * errors / invocations); a failed, timed-out or aborted run; and no fresh bronze snapshot
 * for two collection intervals.
 *
 * @example
 * const alarms = createAlarms(config, { topicArn, functionNames, deadLetterQueueName, stateMachineArn });
 */
export function createAlarms(config: PipelineStackConfig, targets: AlarmTargets): aws.cloudwatch.MetricAlarm[] {
  const actions = { alarmActions: [targets.topicArn], okActions: [targets.topicArn] };
  const alarms: aws.cloudwatch.MetricAlarm[] = [];

  alarms.push(
    new aws.cloudwatch.MetricAlarm('dlq-not-empty', {
      name: `${config.prefix}-dlq-not-empty`,
      alarmDescription: 'Events failed 3 receives and sit in the DLQ: inspect them, fix, then redrive.',
      namespace: 'AWS/SQS',
      metricName: 'ApproximateNumberOfMessagesVisible',
      dimensions: { QueueName: targets.deadLetterQueueName },
      statistic: 'Maximum',
      period: 300,
      evaluationPeriods: 1,
      threshold: 1,
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
      treatMissingData: 'notBreaching',
      ...actions,
    }),
  );

  const window = config.errorRateWindowMinutes * 60;
  for (const fn of FUNCTION_NAMES) {
    const lambdaMetric = (metricName: string) => ({
      namespace: 'AWS/Lambda',
      metricName,
      dimensions: { FunctionName: targets.functionNames[fn] },
      period: window,
      stat: 'Sum',
    });
    alarms.push(
      new aws.cloudwatch.MetricAlarm(`${fn}-error-rate`, {
        name: `${config.prefix}-${fn}-error-rate`,
        alarmDescription: `${fn}: more than ${config.errorRateThresholdPercent}% of invocations failed in ${config.errorRateWindowMinutes} min.`,
        metricQueries: [
          { id: 'errors', metric: lambdaMetric('Errors'), returnData: false },
          { id: 'invocations', metric: lambdaMetric('Invocations'), returnData: false },
          {
            id: 'error_rate',
            expression: 'IF(invocations > 0, 100 * errors / invocations, 0)',
            label: 'Error rate (%)',
            returnData: true,
          },
        ],
        evaluationPeriods: 1,
        threshold: config.errorRateThresholdPercent,
        comparisonOperator: 'GreaterThanThreshold',
        treatMissingData: 'notBreaching',
        ...actions,
      }),
    );
  }

  const executions = (metricName: string) => ({
    namespace: 'AWS/States',
    metricName,
    dimensions: { StateMachineArn: targets.stateMachineArn },
    period: 300,
    stat: 'Sum',
  });
  alarms.push(
    new aws.cloudwatch.MetricAlarm('run-failed', {
      name: `${config.prefix}-run-failed`,
      alarmDescription: 'A pipeline run failed, timed out or was aborted after its retries.',
      metricQueries: [
        { id: 'failed', metric: executions('ExecutionsFailed'), returnData: false },
        { id: 'timed_out', metric: executions('ExecutionsTimedOut'), returnData: false },
        { id: 'aborted', metric: executions('ExecutionsAborted'), returnData: false },
        {
          id: 'unsuccessful',
          expression: 'FILL(failed, 0) + FILL(timed_out, 0) + FILL(aborted, 0)',
          label: 'Unsuccessful runs',
          returnData: true,
        },
      ],
      evaluationPeriods: 1,
      threshold: 1,
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
      treatMissingData: 'notBreaching',
      ...actions,
    }),
  );

  alarms.push(
    new aws.cloudwatch.MetricAlarm('no-fresh-snapshot', {
      name: `${config.prefix}-no-fresh-snapshot`,
      alarmDescription: `No bronze snapshot landed for ${2 * config.intervalMinutes} min (two intervals): the schedule, extract or Twitch is down.`,
      namespace: FRESHNESS_METRIC.namespace,
      metricName: FRESHNESS_METRIC.name,
      dimensions: { service: FRESHNESS_METRIC.service },
      statistic: FRESHNESS_METRIC.stat,
      period: config.intervalMinutes * 60,
      evaluationPeriods: 2,
      threshold: 1,
      comparisonOperator: 'LessThanThreshold',
      // No data at all is the failure this alarm exists for.
      treatMissingData: 'breaching',
      // With the schedule paused, silence is expected: the alarm still shows state but sends nothing.
      actionsEnabled: config.scheduleEnabled,
      ...actions,
    }),
  );
  return alarms;
}
