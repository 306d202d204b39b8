import { runMockedProgram } from '@twitch-pipeline/infra-components/testing';
import { describe, expect, it } from 'vitest';

// No Pulumi engine exists in tests: the stack's config is read under Pulumi's unit-test mocks.
function loadWith(config: Record<string, string>) {
  return runMockedProgram({ project: 'twitch-pipeline-bootstrap', stack: 'prod', config }, async () => {
    const { loadBootstrapConfig } = await import('../src/config');
    return { ...loadBootstrapConfig() };
  });
}

describe('bootstrap stack: whole-number settings', () => {
  it.each([
    ['stateVersionRetentionDays', '90.5'],
    ['keyDeletionWindowDays', '7.5'],
    ['accessLogExpirationDays', '90.5'],
  ])('refuses %s=%s at preview, naming the key', async (key, value) => {
    // act
    const loading = loadWith({ [key]: value });
    // assess
    await expect(loading).rejects.toThrow(`twitch-pipeline-bootstrap:${key} must be a whole number (got "${value}")`);
  });

  it('refuses accessLogExpirationDays=0 at preview: S3 expires objects after one day at the earliest', async () => {
    // act
    const loading = loadWith({ accessLogExpirationDays: '0' });
    // assess
    await expect(loading).rejects.toThrow('twitch-pipeline-bootstrap:accessLogExpirationDays must be at least 1 (got 0)');
  });

  it('expires the state bucket\'s access logs after accessLogExpirationDays', async () => {
    // prepare
    const config = { stateVersionRetentionDays: '90', customerManagedKey: 'false', keyDeletionWindowDays: '30', accessLogExpirationDays: '14' };
    // act
    const program = await runMockedProgram({ project: 'twitch-pipeline-bootstrap', stack: 'prod', config }, async () => {
      const { loadBootstrapConfig } = await import('../src/config');
      const { createStateBackend } = await import('../src/state-backend');
      return { backendUrl: createStateBackend(loadBootstrapConfig()).backendUrl };
    });
    // assess
    const rules = program.one('aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration', 'access-logs').inputs.rules;
    expect(rules).toContainEqual({ id: 'expire-access-logs', status: 'Enabled', filter: {}, expiration: { days: 14 } });
  });

  it('reads whole numbers', async () => {
    // act
    const program = await loadWith({ stateVersionRetentionDays: '30', keyDeletionWindowDays: '7' });
    // assess
    expect(program.outputs).toMatchObject({ stateVersionRetentionDays: 30, keyDeletionWindowDays: 7 });
  });
});
