import { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CREDENTIALS_MAX_AGE_SECONDS, readTwitchCredentials } from '../src/index';

// No SSM Parameter Store emulator runs here: GetParameter is answered by aws-sdk-client-mock,
// behind the real Powertools provider (its cache, decryption flag and JSON transform).
const PARAMETER = '/twitch-pipeline-prod/twitch-credentials';
const ssm = mockClient(SSMClient);
const value = (json: string) => ({ Parameter: { Name: PARAMETER, Type: 'SecureString' as const, Value: json } });

describe('readTwitchCredentials', () => {
  beforeEach(() => {
    ssm.reset();
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-12-01T12:00:00Z'));
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  afterAll(() => {
    ssm.restore();
  });

  it('serves a warm container from cache, then picks up a rotated value once maxAge has passed', async () => {
    // prepare
    ssm
      .on(GetParameterCommand, { Name: PARAMETER, WithDecryption: true })
      .resolvesOnce(value('{"client_id":"app","client_secret":"old-secret"}'))
      .resolves(value('{"client_id":"app","client_secret":"rotated-secret"}'));
    const provider = new SSMProvider({ awsSdkV3Client: new SSMClient({}) });
    // act
    const first = await readTwitchCredentials(provider, PARAMETER);
    vi.setSystemTime(Date.now() + (CREDENTIALS_MAX_AGE_SECONDS - 1) * 1000);
    const stillCached = await readTwitchCredentials(provider, PARAMETER);
    vi.setSystemTime(Date.now() + 2000);
    const afterRotation = await readTwitchCredentials(provider, PARAMETER);
    // assess
    expect(first.clientSecret).toBe('old-secret');
    expect(stillCached.clientSecret).toBe('old-secret');
    expect(afterRotation).toEqual({ clientId: 'app', clientSecret: 'rotated-secret' });
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(2);
  });

  it('trims the values, and refuses an empty one or one with a line break inside, naming the field without echoing it', async () => {
    // prepare: a value saved from a file (a trailing newline), then two pasted wrong
    ssm
      .on(GetParameterCommand)
      .resolvesOnce(value(JSON.stringify({ client_id: ' app\n', client_secret: 'secret-one\n' })))
      .resolvesOnce(value(JSON.stringify({ client_id: 'app', client_secret: '   ' })))
      .resolves(value(JSON.stringify({ client_id: 'app', client_secret: 'do-not\nprint' })));
    const provider = new SSMProvider({ awsSdkV3Client: new SSMClient({}) });

    // act
    const trimmed = await readTwitchCredentials(provider, PARAMETER, 0);
    const blank = (await readTwitchCredentials(provider, PARAMETER, 0).catch((error: unknown) => error)) as Error;
    const broken = (await readTwitchCredentials(provider, PARAMETER, 0).catch((error: unknown) => error)) as Error;

    // assess
    expect(trimmed).toEqual({ clientId: 'app', clientSecret: 'secret-one' });
    expect([blank.name, broken.name]).toEqual(['MalformedCredentialsError', 'MalformedCredentialsError']);
    expect(blank.message).toBe(`parameter ${PARAMETER}: client_secret must not be empty: expected {"client_id": ..., "client_secret": ...}`);
    expect(broken.message).toBe(
      `parameter ${PARAMETER}: client_secret must not hold spaces, line breaks or control characters inside (pasted with one?): expected {"client_id": ..., "client_secret": ...}`,
    );
    expect(broken.message).not.toContain('do-not');
  });

  it('names a value that is not JSON without echoing it', async () => {
    // prepare
    ssm.on(GetParameterCommand).resolves(value('client_id=app;client_secret=do-not-print'));
    const provider = new SSMProvider({ awsSdkV3Client: new SSMClient({}) });
    // act
    const failure = (await readTwitchCredentials(provider, PARAMETER).catch((error: unknown) => error)) as Error;
    // assess
    expect(failure.name).toBe('MalformedCredentialsError');
    expect(failure.message).toBe(`parameter ${PARAMETER}: the value is not JSON: expected {"client_id": ..., "client_secret": ...}`);
    expect(failure.message).not.toContain('do-not-print');
  });

  it('refuses a value without the client id under the error the state machine does not retry, holding no part of the secret', async () => {
    // prepare: the secret stored under a misspelt key, and no client id
    ssm.on(GetParameterCommand).resolves(value(JSON.stringify({ clientSecret: 'do-not-print-this-secret' })));
    const provider = new SSMProvider({ awsSdkV3Client: new SSMClient({}) });

    // act
    const failure = (await readTwitchCredentials(provider, PARAMETER).catch((error: unknown) => error)) as Error;

    // assess
    expect(failure.name).toBe('MalformedCredentialsError');
    expect(failure.message).toBe(
      `parameter ${PARAMETER}: client_id is missing or not text; client_secret is missing or not text: expected {"client_id": ..., "client_secret": ...}`,
    );
    for (const part of ['do-not-print-this-secret', 'do-not', 'this-secret', 'clientSecret']) expect(failure.message).not.toContain(part);
  });
});
