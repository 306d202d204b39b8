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

  it('names a value that is not JSON without echoing it', async () => {
    // prepare
    ssm.on(GetParameterCommand).resolves(value('client_id=app;client_secret=do-not-print'));
    const provider = new SSMProvider({ awsSdkV3Client: new SSMClient({}) });
    // act
    const failure = (await readTwitchCredentials(provider, PARAMETER).catch((error: unknown) => error)) as Error;
    // assess
    expect(failure.message).toBe(`parameter ${PARAMETER} is not JSON: expected {"client_id": ..., "client_secret": ...}`);
    expect(failure.message).not.toContain('do-not-print');
  });
});
