import { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import { S3Client } from '@aws-sdk/client-s3';
import { SSMClient } from '@aws-sdk/client-ssm';
import { Logger } from '@twitch-pipeline/observability';
import { type AwsErrorAnswer, type AwsJsonStub, startAwsJsonStub } from '@twitch-pipeline/storage/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createExtractHandler } from '../src/index';

// No SSM Parameter Store emulator exists on npm: a loopback stub answers GetParameter in the AWS
// JSON protocol with the errors SSM sends, so the real SDK turns them into its exceptions and the
// real Powertools provider wraps them, as in Lambda. The handler fails before it calls S3 or
// Helix, so neither runs here. A file of its own: aws-sdk-client-mock, which the other handler
// tests answer GetParameter with, replaces the send of every SSMClient in its file.
const PARAMETER = 'arn:aws:ssm:us-east-1:123456789012:parameter/twitch-pipeline-prod/twitch-credentials';
const ROLE = 'arn:aws:sts::123456789012:assumed-role/twitch-pipeline-prod-extract/twitch-pipeline-prod-extract';
const KEY = 'arn:aws:kms:us-east-1:123456789012:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
/** The keys the SSM client signs with, which no message or log line may hold. */
const SIGNING = { accessKeyId: 'AKIAEXTRACTSTUBTESTS', secretAccessKey: 'do-not-print-the-signing-key', sessionToken: 'do-not-print-the-session-token' };

let stub: AwsJsonStub;
let answers: Record<string, string | AwsErrorAnswer>;

beforeAll(async () => {
  answers = {};
  stub = await startAwsJsonStub(answers);
});

afterAll(async () => {
  await stub.close();
});

/** Runs the extract once with `parameter` as its credentials; returns what it threw, what it logged and how often it read. */
async function extractFailing(parameter: string, endpoint = stub.endpoint) {
  const lines: string[] = [];
  const capture = (...parts: unknown[]) => lines.push(parts.map(String).join(' '));
  const spies = (['debug', 'info', 'warn', 'error', 'log'] as const).map((level) => vi.spyOn(console, level).mockImplementation(capture));
  const reads = stub.parameterReads();
  const handler = createExtractHandler({
    env: { TWITCH_SECRET_ARN: parameter, LAKE_BUCKET: 'lake-extract-unreadable', PIPELINE_LANGUAGES: 'pt' },
    s3: new S3Client({ region: 'us-east-1' }),
    parameters: new SSMProvider({ awsSdkV3Client: new SSMClient({ region: 'us-east-1', endpoint, credentials: SIGNING }) }),
    logger: new Logger({ serviceName: 'extract', logLevel: 'INFO' }),
    now: () => new Date('2026-11-29T21:31:00Z'),
  });
  try {
    const failure = (await handler({ collectedAt: '2026-11-29T21:30:00Z' }).catch((error: unknown) => error)) as Error;
    const records = lines.flatMap((line) => (line.startsWith('{') ? [JSON.parse(line) as Record<string, unknown>] : []));
    return { failure, output: lines.join('\n'), logged: records.find((record) => record.message === 'extract failed'), reads: stub.parameterReads() - reads };
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
}

describe('extract Lambda handler: a credentials parameter Parameter Store will not hand over', () => {
  it.each([
    {
      case: 'a parameter that does not exist',
      parameter: PARAMETER,
      answer: { status: 400, type: 'ParameterNotFound' },
      problem: 'it does not exist (ParameterNotFound)',
      remedy: '(`pulumi config set --secret twitchClientId` and `pulumi config set --secret twitchClientSecret`), then run `npx nx run infra-pipeline:up -- --refresh`',
    },
    {
      case: 'a version of it that does not exist',
      parameter: `${PARAMETER}:7`,
      answer: { status: 400, type: 'ParameterVersionNotFound', message: 'Systems Manager could not find version 7 of twitch-credentials' },
      problem: 'the version it names does not exist (ParameterVersionNotFound: Systems Manager could not find version 7 of twitch-credentials)',
      remedy: 'then run `npx nx run infra-pipeline:up -- --refresh`, which stores the parameter again and points TWITCH_SECRET_ARN at it',
    },
    {
      case: 'a role without ssm:GetParameter on it',
      parameter: PARAMETER,
      answer: { status: 400, type: 'AccessDeniedException', message: `User: ${ROLE} is not authorized to perform: ssm:GetParameter on resource: ${PARAMETER}` },
      problem: `the function's role may not read it (AccessDeniedException: User: ${ROLE} is not authorized to perform: ssm:GetParameter on resource: ${PARAMETER})`,
      remedy: "run `npx nx run infra-pipeline:up -- --refresh`, which grants the extract's role ssm:GetParameter",
    },
    {
      case: 'a key KMS will not decrypt with for the role',
      parameter: PARAMETER,
      answer: {
        status: 400,
        type: 'AccessDeniedException',
        message: `User: ${ROLE} is not authorized to perform: kms:Decrypt on resource: ${KEY} (Service: AWSKMS; Status Code: 400; Error Code: AccessDeniedException)`,
      },
      problem: `KMS will not decrypt it for the function's role (AccessDeniedException: User: ${ROLE} is not authorized to perform: kms:Decrypt on resource: ${KEY}`,
      remedy: "give the extract's role kms:Decrypt on the key it is under now, or delete the parameter and run `npx nx run infra-pipeline:up -- --refresh`",
    },
    {
      case: 'a key SSM calls invalid',
      parameter: PARAMETER,
      answer: { status: 400, type: 'InvalidKeyId' },
      problem: "KMS will not decrypt it for the function's role (InvalidKeyId)",
      remedy: "give the extract's role kms:Decrypt on the key it is under now, or delete the parameter and run `npx nx run infra-pipeline:up -- --refresh`",
    },
  ])('fails at once on $case, under a name the state machine does not retry, naming the parameter and what to do', async ({ parameter, answer, problem, remedy }) => {
    // prepare
    answers[parameter] = answer;

    // act
    const { failure, output, logged, reads } = await extractFailing(parameter);

    // assess
    expect(failure.name).toBe('UnreadableCredentialsError');
    expect(failure.message.startsWith(`parameter ${parameter} cannot be read: ${problem}`)).toBe(true);
    expect(failure.message).toContain(remedy);
    expect(failure).toMatchObject({ parameter, cause: { name: answer.type } });
    // The SDK does not retry these either: one read, however often the step would be run again.
    expect(reads).toBe(1);
    expect(logged).toMatchObject({ level: 'ERROR', error: { name: 'UnreadableCredentialsError', cause: { name: answer.type } } });
    for (const secret of [SIGNING.secretAccessKey, SIGNING.sessionToken]) {
      expect(failure.message).not.toContain(secret);
      expect(output).not.toContain(secret);
    }
  });

  it('leaves a throttled read, an SSM server error and an unreachable endpoint under the provider error the state machine retries', async () => {
    // prepare: two parameters SSM answers with errors a retry may get past, and an endpoint nothing listens on any more
    answers[`${PARAMETER}-throttled`] = { status: 400, type: 'ThrottlingException', message: 'Rate exceeded' };
    answers[`${PARAMETER}-broken`] = { status: 500, type: 'InternalServerError' };
    const gone = await startAwsJsonStub();
    await gone.close();

    // act
    const throttled = await extractFailing(`${PARAMETER}-throttled`);
    const broken = await extractFailing(`${PARAMETER}-broken`);
    const unreachable = await extractFailing(PARAMETER, gone.endpoint);

    // assess: the name Powertools gives them is not among the state machine's NOT_RETRIED, so the step is run again
    expect([throttled.failure.name, broken.failure.name, unreachable.failure.name]).toEqual(['GetParameterError', 'GetParameterError', 'GetParameterError']);
    expect(throttled.failure.message).toBe('Rate exceeded');
    expect((throttled.failure.cause as Error).name).toBe('ThrottlingException');
    expect((broken.failure.cause as Error).name).toBe('InternalServerError');
    expect((unreachable.failure.cause as { code?: string }).code).toBe('ECONNREFUSED');
    // The SDK itself tries a throttled or failed read three times before the step fails.
    expect([throttled.reads, broken.reads]).toEqual([3, 3]);
  });
});
