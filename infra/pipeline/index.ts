import * as pulumi from '@pulumi/pulumi';
import { createAlarms, createAlertsTopic } from './src/alarms';
import { FUNCTION_NAMES, type FunctionName, loadPipelineConfig } from './src/config';
import { createDashboard } from './src/dashboard';
import { assertEnvironmentsFit, createFunctions } from './src/functions';
import { connectConsumer, createEventQueues } from './src/messaging';
import { createOrchestration } from './src/orchestration';
import { assertSameRegion } from './src/region';
import { createTwitchSecret } from './src/secrets';

const config = loadPipelineConfig();
// Before any resource is declared, so that preview refuses what Lambda would refuse only at up.
assertEnvironmentsFit(config);
const data = new pulumi.StackReference(config.dataStack);
// Awaited, so that preview stops here: the dashboard below reads the data stack's region.
await assertSameRegion(data, config.dataStack);
const fromData = (name: string) => data.requireOutput(name).apply(String);
const lakeBucketName = fromData('lakeBucketName');
const lakeBucketArn = fromData('lakeBucketArn');
const realtimeTableName = fromData('realtimeTableName');
const realtimeTableArn = fromData('realtimeTableArn');

const twitchSecret = createTwitchSecret(config);
const queues = createEventQueues(config);
const topic = createAlertsTopic(config);
const functions = createFunctions(
  config,
  {
    lakeBucketArn,
    queueArn: queues.queue.arn,
    deadLetterQueueArn: queues.deadLetterQueue.arn,
    realtimeTableArn,
    twitchSecretArn: twitchSecret.arn,
    alertsTopicArn: topic.arn,
  },
  {
    lakeBucketName,
    queueUrl: queues.queue.url,
    deadLetterQueueUrl: queues.deadLetterQueue.url,
    realtimeTableName,
    twitchSecretArn: twitchSecret.arn,
    alertsTopicArn: topic.arn,
  },
);
connectConsumer(config, queues.queue, functions['stream-consumer'].function);
const { stateMachine, schedule } = createOrchestration(
  config,
  {
    extract: functions.extract.function.arn,
    publish: functions.publish.function.arn,
    silver: functions['transform-silver'].function.arn,
    gold: functions['transform-gold'].function.arn,
  },
  topic.arn,
);
const functionNames = Object.fromEntries(
  FUNCTION_NAMES.map((fn) => [fn, functions[fn].function.name]),
) as Record<FunctionName, pulumi.Output<string>>;
const alarms = createAlarms(config, topic.arn, {
  functionNames,
  deadLetterQueueName: queues.deadLetterQueue.name,
  stateMachineArn: stateMachine.arn,
});
const dashboard = createDashboard(
  config,
  pulumi.output({
    region: fromData('region'),
    functionNames,
    queueName: queues.queue.name,
    deadLetterQueueName: queues.deadLetterQueue.name,
    stateMachineArn: stateMachine.arn,
    alarmArns: alarms.map((alarm) => alarm.arn),
  }),
);

export const stateMachineArn = stateMachine.arn;
export const scheduleName = schedule.name;
export const eventsQueueUrl = queues.queue.url;
export const deadLetterQueueUrl = queues.deadLetterQueue.url;
export const alertsTopicArn = topic.arn;
export const twitchSecretArn = twitchSecret.arn;
export const dashboardName = dashboard.dashboardName;
export const functionNamesByStep = pulumi.output(functionNames);
