import { fileURLToPath } from 'node:url';
import { type MockedProgram, runMockedProgram, statementsOf } from '@twitch-pipeline/infra-components/testing';
import { PIPELINE_SECRET_KEYS } from '../../src/config';

// No Pulumi engine or AWS account exists in tests: the program runs under Pulumi's unit-test mocks,
// and the data stack's outputs come from a mocked StackReference.

/** The Pulumi project the stack files' config keys are namespaced by. */
export const PROJECT = 'twitch-pipeline-pipeline';
/** The region the mocked data stack reports, which names the dashboard and the ARNs. */
export const REGION = 'sa-east-1';
/** The account of the ARNs the tests build for resources outside the stack. */
export const ACCOUNT = '123456789012';
/** The lake bucket's ARN, as the mocked data stack exports it. */
export const LAKE = 'arn:aws:s3:::twitch-lake';
/** The real-time table's ARN, as the mocked data stack exports it. */
export const TABLE = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/twitch_pipeline_prod_realtime_streams`;
/** The Twitch client secret set in config: the tests check it never reaches a function's environment. */
export const CLIENT_SECRET = 'client-secret-value-for-tests';
/** The repository's root, where the alert rules file the stack is configured with lives. */
export const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/**
 * The prod stack as the mocks recorded it, set by {@link runProdStack}. A live binding, so each
 * test file's `beforeAll(runProdStack)` gives its tests, and the accessors below, that file's run.
 */
export let program: MockedProgram;

/**
 * Runs the pipeline program once as the prod stack, with every plain key set that changes a
 * default the tests check (interval, memory, timeouts, alert rules) and the Twitch credentials
 * as secrets, against a mocked data stack. Meant for `beforeAll`.
 *
 * @example
 * beforeAll(runProdStack);
 */
export async function runProdStack(): Promise<void> {
  program = await runMockedProgram(
    {
      project: PROJECT,
      stack: 'prod',
      config: {
        dataStack: 'organization/twitch-pipeline-data/prod',
        intervalMinutes: '30',
        alertEmail: 'data-alerts@twitch-streams-team.io',
        alertRulesFile: `${ROOT}libs/alerts/examples/alert-rules.json`,
        consumerTimeoutSeconds: '30',
        extractMemoryMb: '1536',
        twitchClientId: 'client-id-for-tests',
        twitchClientSecret: CLIENT_SECRET,
      },
      secretKeys: [...PIPELINE_SECRET_KEYS],
      stackOutputs: {
        'organization/twitch-pipeline-data/prod': {
          region: REGION,
          lakeBucketName: 'twitch-lake',
          lakeBucketArn: LAKE,
          realtimeTableName: 'twitch_pipeline_prod_realtime_streams',
          realtimeTableArn: TABLE,
        },
      },
    },
    () => import('../../index'),
  );
}

/** The Lambda function of one step (a `FUNCTION_NAMES` entry): most tests start from one. */
export const lambda = (fn: string) => program.one('aws:lambda/function:Function', fn);
/** The statements of one role's inline policy (a function's, the state machine's, the scheduler's), to evaluate with `isAllowed`. */
export const policyOf = (name: string) => statementsOf(program.one('aws:iam/rolePolicy:RolePolicy', name).inputs.policy);
/** A queue's ARN (`events` or `events-dlq`), which policies, the redrive policy and the event source mapping refer to. */
export const queueArn = (name: string) => program.one('aws:sqs/queue:Queue', name).state.arn as string;
/** The one alerts topic's ARN, which alarms, the consumer and the state machine notify. */
export const topicArn = () => program.one('aws:sns/topic:Topic').state.arn as string;
