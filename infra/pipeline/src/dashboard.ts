import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { FUNCTION_NAMES, type FunctionName, type PipelineStackConfig } from './config';
import { CUSTOM_METRIC_DISPLAY, dashboardCustomMetrics, LOG_WIDGETS, type LogWidget } from './metrics';

/** Resolved names the dashboard's widgets point at. */
export interface DashboardTargets {
  region: string;
  functionNames: Record<FunctionName, string>;
  queueName: string;
  deadLetterQueueName: string;
  stateMachineArn: string;
  alarmArns: string[];
  /** The `service` dimension of the stack's custom metrics: its resource prefix. */
  metricsService: string;
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

function logWidget(widget: LogWidget, functionNames: Record<FunctionName, string>, region: string, index: number) {
  const sources = widget.functions.map((fn) => `SOURCE '/aws/lambda/${functionNames[fn]}'`).join(' | ');
  return {
    type: 'log',
    x: (index % 3) * WIDTH,
    y: Math.floor(index / 3) * HEIGHT,
    width: WIDTH,
    height: HEIGHT,
    properties: { title: widget.title, region, query: `${sources} | ${widget.query}`, view: widget.view, stacked: false },
  };
}

/**
 * The CloudWatch dashboard body: Lambda invocations, errors and duration; queue traffic,
 * oldest message age and DLQ depth; state-machine executions; the metrics budget's custom
 * metrics (snapshots landed, cold starts); the steps' figures from their logs (Logs Insights
 * widgets: extract per run, streams by language, the real-time path, the transforms, cold starts
 * by function); and the alarms' states.
 *
 * @example
 * const body = dashboardBody({ region: 'sa-east-1', functionNames, queueName, deadLetterQueueName, stateMachineArn, alarmArns, metricsService: 'twitch-pipeline-prod' });
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
      'Snapshots and cold starts',
      dashboardCustomMetrics(targets.metricsService).map((metric) => [
        metric.namespace,
        metric.name,
        ...Object.entries(metric.dimensions).flat(),
        { ...CUSTOM_METRIC_DISPLAY[metric.name] },
      ]),
      region,
      'Sum',
      7,
    ),
    ...LOG_WIDGETS.map((widget, index) => logWidget(widget, targets.functionNames, region, 8 + index)),
    {
      type: 'alarm',
      x: 0,
      y: Math.ceil((8 + LOG_WIDGETS.length) / 3) * HEIGHT,
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
  targets: pulumi.Output<Omit<DashboardTargets, 'metricsService'>>,
): aws.cloudwatch.Dashboard {
  // Dashboards are global to the account while every other resource here is regional: without the
  // region, a stack moved to another region would put its new dashboard over the old one and then
  // delete it, and two stacks of one name in two regions would overwrite and delete each other's.
  return new aws.cloudwatch.Dashboard('pipeline', {
    dashboardName: pulumi.interpolate`${config.prefix}-${aws.getRegionOutput().region}`,
    dashboardBody: targets.apply((resolved) => dashboardBody({ ...resolved, metricsService: config.prefix })),
  });
}
