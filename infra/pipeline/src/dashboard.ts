import * as aws from '@pulumi/aws';
import type * as pulumi from '@pulumi/pulumi';
import { METRICS_NAMESPACE } from '@twitch-pipeline/observability';
import { FUNCTION_NAMES, type FunctionName, type PipelineStackConfig } from './config';
import { PIPELINE_METRICS, STREAMS_BY_LANGUAGE_SEARCH } from './metrics';

/** Resolved names the dashboard's widgets point at. */
export interface DashboardTargets {
  region: string;
  functionNames: Record<FunctionName, string>;
  queueName: string;
  deadLetterQueueName: string;
  stateMachineArn: string;
  alarmArns: string[];
}

type MetricRow = (string | Record<string, string>)[];

const WIDTH = 8;
const HEIGHT = 6;

function metricWidget(title: string, metrics: MetricRow[], region: string, stat: string, index: number) {
  return {
    type: 'metric',
    x: (index % 3) * WIDTH,
    y: Math.floor(index / 3) * HEIGHT,
    width: WIDTH,
    height: HEIGHT,
    properties: { title, region, metrics, stat, period: 300, view: 'timeSeries', stacked: false },
  };
}

/**
 * The CloudWatch dashboard body: Lambda invocations, errors and duration; queue traffic,
 * oldest message age and DLQ depth; state-machine executions; streams collected per language
 * (a search over the language dimension); the pipeline's own metrics; and the alarms' states.
 *
 * @example
 * const body = dashboardBody({ region: 'sa-east-1', functionNames, queueName, deadLetterQueueName, stateMachineArn, alarmArns });
 */
export function dashboardBody(targets: DashboardTargets): string {
  const { region } = targets;
  const perFunction = (metricName: string, options: Record<string, string> = {}): MetricRow[] =>
    FUNCTION_NAMES.map((fn) => ['AWS/Lambda', metricName, 'FunctionName', targets.functionNames[fn], { label: fn, ...options }]);
  const queue = (metricName: string, queueName: string, label: string): MetricRow => [
    'AWS/SQS',
    metricName,
    'QueueName',
    queueName,
    { label },
  ];
  const execution = (metricName: string): MetricRow => [
    'AWS/States',
    metricName,
    'StateMachineArn',
    targets.stateMachineArn,
    { label: metricName.replace('Executions', '') },
  ];
  const services = [...new Set(PIPELINE_METRICS.map((metric) => metric.service))];
  const widgets = [
    metricWidget('Lambda invocations', perFunction('Invocations'), region, 'Sum', 0),
    metricWidget('Lambda errors', perFunction('Errors'), region, 'Sum', 1),
    metricWidget('Lambda duration p95 (ms)', perFunction('Duration'), region, 'p95', 2),
    metricWidget(
      'Events queue: sent and received',
      [
        queue('NumberOfMessagesSent', targets.queueName, 'sent'),
        queue('NumberOfMessagesReceived', targets.queueName, 'received'),
        queue('NumberOfMessagesDeleted', targets.queueName, 'deleted'),
      ],
      region,
      'Sum',
      3,
    ),
    metricWidget(
      'Events queue: oldest message age (s)',
      [queue('ApproximateAgeOfOldestMessage', targets.queueName, 'oldest message')],
      region,
      'Maximum',
      4,
    ),
    metricWidget(
      'Dead-letter queue depth',
      [queue('ApproximateNumberOfMessagesVisible', targets.deadLetterQueueName, 'in DLQ')],
      region,
      'Maximum',
      5,
    ),
    metricWidget(
      'Pipeline runs',
      ['ExecutionsStarted', 'ExecutionsSucceeded', 'ExecutionsFailed', 'ExecutionsTimedOut'].map(execution),
      region,
      'Sum',
      6,
    ),
    metricWidget(
      'Streams collected by language',
      [[{ expression: STREAMS_BY_LANGUAGE_SEARCH, id: 'by_language', label: '' }]],
      region,
      'Sum',
      7,
    ),
    ...services.map((service, index) =>
      metricWidget(
        `Pipeline: ${service}`,
        PIPELINE_METRICS.filter((metric) => metric.service === service).map((metric) => [
          METRICS_NAMESPACE,
          metric.name,
          'service',
          metric.service,
          { label: metric.label },
        ]),
        region,
        'Sum',
        8 + index,
      ),
    ),
    {
      type: 'alarm',
      x: 0,
      y: Math.ceil((8 + services.length) / 3) * HEIGHT,
      width: 24,
      height: 4,
      properties: { title: 'Alarms', alarms: targets.alarmArns },
    },
  ];
  return JSON.stringify({ widgets });
}

/**
 * Creates the pipeline's CloudWatch dashboard.
 *
 * @example
 * createDashboard(config, { region, functionNames, queueName, deadLetterQueueName, stateMachineArn, alarmArns });
 */
export function createDashboard(
  config: PipelineStackConfig,
  targets: pulumi.Output<DashboardTargets>,
): aws.cloudwatch.Dashboard {
  return new aws.cloudwatch.Dashboard('pipeline', {
    dashboardName: config.prefix,
    dashboardBody: targets.apply(dashboardBody),
  });
}
