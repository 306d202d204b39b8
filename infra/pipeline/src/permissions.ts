import * as pulumi from '@pulumi/pulumi';
import type { PolicyStatement } from '@twitch-pipeline/infra-components';
import { LAKE_PREFIXES } from '@twitch-pipeline/schemas';
import type { FunctionName } from './config';

/** ARNs the functions are granted access to. */
export interface PipelineResourceArns {
  lakeBucketArn: pulumi.Input<string>;
  queueArn: pulumi.Input<string>;
  deadLetterQueueArn: pulumi.Input<string>;
  realtimeTableArn: pulumi.Input<string>;
  /** The Twitch credentials' SecureString parameter. */
  twitchSecretArn: pulumi.Input<string>;
  alertsTopicArn: pulumi.Input<string>;
}

function objects(arns: PipelineResourceArns, prefixes: string[]) {
  return prefixes.map((prefix) => pulumi.interpolate`${arns.lakeBucketArn}/${prefix}*`);
}

function readObjects(arns: PipelineResourceArns, prefixes: string[]): PolicyStatement {
  return { Sid: 'ReadLake', Effect: 'Allow', Action: 's3:GetObject', Resource: objects(arns, prefixes) };
}

function writeObjects(arns: PipelineResourceArns, prefixes: string[]): PolicyStatement {
  // Large Parquet files go up as multipart uploads, which a failed upload must be able to abort.
  return {
    Sid: 'WriteLake',
    Effect: 'Allow',
    Action: ['s3:PutObject', 's3:AbortMultipartUpload'],
    Resource: objects(arns, prefixes),
  };
}

function replaceOwnQuarantine(arns: PipelineResourceArns, layer: 'bronze' | 'silver'): PolicyStatement {
  // Quarantine keys end in the layer that wrote them; a rerun that rejects nothing deletes its
  // step's earlier object, and no step can touch another step's.
  return {
    Sid: 'ReplaceOwnQuarantine',
    Effect: 'Allow',
    Action: ['s3:PutObject', 's3:AbortMultipartUpload', 's3:DeleteObject'],
    Resource: pulumi.interpolate`${arns.lakeBucketArn}/${LAKE_PREFIXES.quarantine}*-${layer}.parquet`,
  };
}

function setAsideUnreadable(arns: PipelineResourceArns, prefixes: string[]): PolicyStatement[] {
  // An unreadable object of the step's input layer is copied under quarantine/corrupt/ (bytes and
  // a reason record) and then deleted, so that it is never read again and never lost.
  return [
    {
      Sid: 'KeepUnreadableObjects',
      Effect: 'Allow',
      Action: ['s3:PutObject', 's3:AbortMultipartUpload'],
      Resource: prefixes.map((prefix) => pulumi.interpolate`${arns.lakeBucketArn}/${LAKE_PREFIXES.corrupt}${prefix}*`),
    },
    { Sid: 'RemoveUnreadableObjects', Effect: 'Allow', Action: 's3:DeleteObject', Resource: objects(arns, prefixes) },
  ];
}

function listPrefixes(arns: PipelineResourceArns, prefixes: string[]): PolicyStatement {
  // Listing is granted on the bucket, so a condition keeps it to the function's own prefixes.
  return {
    Sid: 'ListLakePrefixes',
    Effect: 'Allow',
    Action: 's3:ListBucket',
    Resource: arns.lakeBucketArn,
    Condition: { StringLike: { 's3:prefix': prefixes.flatMap((prefix) => [prefix, `${prefix}*`]) } },
  };
}

function readOwnSlot(arns: PipelineResourceArns, bronze: string): PolicyStatement[] {
  // A rerun whose every record is quarantined reads the slot's bronze object, to keep it if it
  // has rows, after asking for it as a listing of its own key (S3ObjectStore.exists), so a missing
  // key answers 404 rather than 403. Whole keys only: the extract never lists the layer.
  const objectKeys = `${bronze}dt=*.parquet`;
  return [
    { Sid: 'ReadOwnSlot', Effect: 'Allow', Action: 's3:GetObject', Resource: pulumi.interpolate`${arns.lakeBucketArn}/${objectKeys}` },
    { Sid: 'FindOwnSlot', Effect: 'Allow', Action: 's3:ListBucket', Resource: arns.lakeBucketArn, Condition: { StringLike: { 's3:prefix': objectKeys } } },
  ];
}

/**
 * The least-privilege statements of one function: only the lake prefixes, queue, table,
 * secret and topic its step touches (log writing is added per function by the stack).
 *
 * @example
 * policyDocument(functionStatements('extract', arns)); // writes raw/streams/* and its own quarantine objects only
 */
export function functionStatements(fn: FunctionName, arns: PipelineResourceArns): PolicyStatement[] {
  const { bronze, silver, gold, goldPending } = LAKE_PREFIXES;
  switch (fn) {
    case 'extract':
      return [
        writeObjects(arns, [bronze]),
        replaceOwnQuarantine(arns, 'bronze'),
        ...readOwnSlot(arns, bronze),
        // The SecureString is encrypted with the AWS-managed key aws/ssm, whose key policy lets SSM decrypt for the caller: no kms grant.
        { Sid: 'ReadTwitchCredentials', Effect: 'Allow', Action: 'ssm:GetParameter', Resource: arns.twitchSecretArn },
      ];
    case 'publish':
      return [
        readObjects(arns, [bronze]),
        { Sid: 'SendEvents', Effect: 'Allow', Action: 'sqs:SendMessage', Resource: arns.queueArn },
      ];
    case 'stream-consumer':
      return [
        {
          Sid: 'ConsumeEvents',
          Effect: 'Allow',
          Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ChangeMessageVisibility'],
          Resource: arns.queueArn,
        },
        {
          Sid: 'WriteRealtimeTable',
          Effect: 'Allow',
          // UpdateItem adds a snapshot's watched categories to its evaluation mark (category alert
          // rules); GetItem reads an alert's claim when its conditional put finds one (a message
          // delivered again, a second consumer).
          Action: ['dynamodb:BatchWriteItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:Query', 'dynamodb:GetItem'],
          Resource: arns.realtimeTableArn,
        },
        { Sid: 'PublishAlerts', Effect: 'Allow', Action: 'sns:Publish', Resource: arns.alertsTopicArn },
        // A message that can never be written (not JSON, another schema version, invalid events)
        // goes to the DLQ at once with its reason, rather than after three receives without one.
        // The DLQ is encrypted with SQS-managed keys (SSE-SQS), so sending needs no KMS grant.
        { Sid: 'SendInvalidToDlq', Effect: 'Allow', Action: 'sqs:SendMessage', Resource: arns.deadLetterQueueArn },
      ];
    case 'transform-silver':
      return [
        // Silver: a bronze object written before the extract named its time zone is dated in the
        // zone of its silver object, which silver reads for that.
        readObjects(arns, [bronze, silver]),
        // Before each silver object, a marker that gold has not folded it in yet.
        writeObjects(arns, [silver, goldPending]),
        replaceOwnQuarantine(arns, 'silver'),
        ...setAsideUnreadable(arns, [bronze]),
        // A slot collected again under another date (the time zone changed) supersedes its older
        // bronze copy, which is set aside as above; the silver object made from it goes too.
        { Sid: 'RemoveSupersededSilver', Effect: 'Allow', Action: 's3:DeleteObject', Resource: objects(arns, [silver]) },
        listPrefixes(arns, [bronze, silver]),
      ];
    case 'transform-gold':
      // Gold also reads its own earlier partitions: the trend tables compare a day with the 7 before
      // it. A silver object an earlier version of the silver model wrote (a lake kept across an
      // upgrade) is rebuilt from bronze by the silver step inside gold, with the silver step's access.
      // Gold removes the markers of the silver objects it has folded in, and marks a date that failed.
      return [
        readObjects(arns, [bronze, silver, gold]),
        writeObjects(arns, [silver, gold, goldPending]),
        replaceOwnQuarantine(arns, 'silver'),
        ...setAsideUnreadable(arns, [bronze, silver]),
        // The delete is conditional on the marker's entity tag (If-Match), which S3 authorises
        // with s3:GetObject as well.
        { Sid: 'SettleGoldPending', Effect: 'Allow', Action: ['s3:GetObject', 's3:DeleteObject'], Resource: objects(arns, [goldPending]) },
        listPrefixes(arns, [bronze, silver, gold, goldPending]),
      ];
  }
}
