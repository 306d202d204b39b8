import { type MockedProgram, type RecordedResource, runMockedProgram, statementsOf } from '@twitch-pipeline/infra-components/testing';
import { DYNAMODB_CONNECTOR_RELEASE } from '../../src/connector-release';

// No Pulumi engine or AWS account exists in tests: the program runs under Pulumi's unit-test mocks.
export const PROJECT = 'twitch-pipeline-data';
export const ACCOUNT = '123456789012';
export const REGION = 'sa-east-1';

/** Another stack name, or settings over the ones {@link runDataProgram} gives. */
export interface DataProgramOptions {
  stack?: string;
  config?: Record<string, string>;
}

/**
 * Runs the data stack's program (as `prod` unless told) under Pulumi's mocks, with the settings
 * its tests check. A test running it more than once calls `vi.resetModules()` before each run:
 * an imported module runs once.
 *
 * @example
 * const program = await runDataProgram();
 * program.one('aws:dynamodb/table:Table');
 */
export function runDataProgram(options: DataProgramOptions = {}): Promise<MockedProgram> {
  return runMockedProgram(
    {
      project: PROJECT,
      stack: options.stack ?? 'prod',
      config: {
        rawInfrequentAccessDays: '30',
        lakeNoncurrentVersionDays: '30',
        quarantineExpirationDays: '90',
        athenaResultsExpirationDays: '7',
        athenaBytesScannedCutoffMb: '2048',
        projectionStartDate: '2025-06-01',
        crawlerSchedule: '',
        forceDestroy: 'false',
        realtimeDeletionProtection: 'true',
        dynamodbConnectorVersion: DYNAMODB_CONNECTOR_RELEASE,
        dynamodbConnectorMemoryMb: '1024',
        logRetentionDays: '90',
        accessLogExpirationDays: '90',
        ...options.config,
      },
    },
    () => import('../../index'),
  );
}

/**
 * The bucket the program created under a logical name.
 *
 * @example
 * bucketByName(program, 'lake').id;
 */
export function bucketByName(program: MockedProgram, name: string): RecordedResource {
  return program.one('aws:s3/bucket:Bucket', name);
}

/**
 * The statements of an inline role policy the program created under a logical name.
 *
 * @example
 * isAllowed(rolePolicyOf(program, 'dynamodb-connector'), 'dynamodb:Query', tableArn);
 */
export function rolePolicyOf(program: MockedProgram, name: string) {
  return statementsOf(program.one('aws:iam/rolePolicy:RolePolicy', name).inputs.policy);
}
