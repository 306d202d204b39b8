import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { assumeRolePolicy, policyDocument } from '@twitch-pipeline/infra-components';
import type { PipelineStackConfig } from './config';
import { scheduleExpression } from './schedule-expression';
import { pipelineDefinition } from './state-machine-definition';
import { assertExtractFitsSchedule } from './state-machine-retries';

/** The state machine and the schedule that starts it. */
export interface Orchestration {
  stateMachine: aws.sfn.StateMachine;
  schedule: aws.scheduler.Schedule;
}

/**
 * Creates the Standard state machine (invoke only the four steps, publish only to the
 * alerts topic, error logs with retention) and an EventBridge Scheduler schedule, with its
 * own role, that starts it every interval with the scheduled time as `collectedAt`.
 *
 * @example
 * const { stateMachine } = createOrchestration(config, arns, functionArns);
 */
export function createOrchestration(
  config: PipelineStackConfig,
  steps: { extract: pulumi.Output<string>; publish: pulumi.Output<string>; silver: pulumi.Output<string>; gold: pulumi.Output<string> },
  alertsTopicArn: pulumi.Output<string>,
): Orchestration {
  const identity = aws.getCallerIdentityOutput();
  const logGroup = new aws.cloudwatch.LogGroup('state-machine', {
    name: `/aws/vendedlogs/states/${config.prefix}-pipeline`,
    retentionInDays: config.logRetentionDays,
  });
  const role = new aws.iam.Role('state-machine', {
    description: `${config.prefix}: runs the pipeline steps`,
    assumeRolePolicy: assumeRolePolicy('states.amazonaws.com', identity.accountId),
  });
  assertExtractFitsSchedule(config.sizing.extract.timeoutSeconds, config.intervalMinutes);
  const region = aws.getRegionOutput().region;
  const stateMachineName = `${config.prefix}-pipeline`;
  // The ARN is known before the state machine exists (the policy must exist first).
  const stateMachineArn = pulumi.interpolate`arn:aws:states:${region}:${identity.accountId}:stateMachine:${stateMachineName}`;
  const functionArns = [steps.extract, steps.publish, steps.silver, steps.gold];
  const policy = new aws.iam.RolePolicy('state-machine', {
    role: role.name,
    policy: policyDocument([
      {
        Sid: 'InvokeSteps',
        Effect: 'Allow',
        Action: 'lambda:InvokeFunction',
        Resource: functionArns.flatMap((arn) => [arn, pulumi.interpolate`${arn}:*`]),
      },
      { Sid: 'NotifyFailures', Effect: 'Allow', Action: 'sns:Publish', Resource: alertsTopicArn },
      // The overlap guard lists this state machine's own running executions, nothing else.
      { Sid: 'ListOwnExecutions', Effect: 'Allow', Action: 'states:ListExecutions', Resource: stateMachineArn },
      {
        // X-Ray actions have no resource-level permissions either.
        Sid: 'WriteTraces',
        Effect: 'Allow',
        Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets'],
        Resource: '*',
      },
      {
        // Log delivery actions have no resource-level permissions: AWS only accepts "*" for them.
        Sid: 'DeliverExecutionLogs',
        Effect: 'Allow',
        Action: [
          'logs:CreateLogDelivery',
          'logs:GetLogDelivery',
          'logs:UpdateLogDelivery',
          'logs:DeleteLogDelivery',
          'logs:ListLogDeliveries',
          'logs:PutResourcePolicy',
          'logs:DescribeResourcePolicies',
          'logs:DescribeLogGroups',
        ],
        Resource: '*',
      },
    ]),
  });
  const stateMachine = new aws.sfn.StateMachine(
    'pipeline',
    {
      name: stateMachineName,
      type: 'STANDARD',
      roleArn: role.arn,
      definition: pulumi
        .all([steps.extract, steps.publish, steps.silver, steps.gold, alertsTopicArn])
        .apply(([extract, publish, silver, gold, alertsTopic]) =>
          pipelineDefinition({ extract, publish, silver, gold, alertsTopic }),
        ),
      loggingConfiguration: {
        level: 'ERROR',
        includeExecutionData: false,
        logDestination: pulumi.interpolate`${logGroup.arn}:*`,
      },
      tracingConfiguration: { enabled: true },
    },
    { dependsOn: [policy] },
  );

  const schedulerRole = new aws.iam.Role('scheduler', {
    description: `${config.prefix}: starts the pipeline on schedule`,
    assumeRolePolicy: assumeRolePolicy('scheduler.amazonaws.com', identity.accountId),
  });
  new aws.iam.RolePolicy('scheduler', {
    role: schedulerRole.name,
    policy: policyDocument([
      { Sid: 'StartPipeline', Effect: 'Allow', Action: 'states:StartExecution', Resource: stateMachine.arn },
    ]),
  });
  const schedule = new aws.scheduler.Schedule('pipeline', {
    name: `${config.prefix}-pipeline`,
    description: `Starts one collection cycle every ${config.intervalMinutes} minutes`,
    scheduleExpression: scheduleExpression(config.intervalMinutes),
    scheduleExpressionTimezone: 'UTC',
    flexibleTimeWindow: { mode: 'OFF' },
    state: config.scheduleEnabled ? 'ENABLED' : 'DISABLED',
    target: {
      arn: stateMachine.arn,
      roleArn: schedulerRole.arn,
      // The scheduled time, not the start time, names the snapshot: a retried start rewrites the same objects.
      input: JSON.stringify({ collectedAt: '<aws.scheduler.scheduled-time>' }),
      retryPolicy: { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 600 },
    },
  });
  return { stateMachine, schedule };
}
