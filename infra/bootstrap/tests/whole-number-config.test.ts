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
  ])('refuses %s=%s at preview, naming the key', async (key, value) => {
    // act
    const loading = loadWith({ [key]: value });
    // assess
    await expect(loading).rejects.toThrow(`twitch-pipeline-bootstrap:${key} must be a whole number (got "${value}")`);
  });

  it('reads whole numbers', async () => {
    // act
    const program = await loadWith({ stateVersionRetentionDays: '30', keyDeletionWindowDays: '7' });
    // assess
    expect(program.outputs).toMatchObject({ stateVersionRetentionDays: 30, keyDeletionWindowDays: 7 });
  });
});
