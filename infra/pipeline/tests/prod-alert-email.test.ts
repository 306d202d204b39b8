import { readFileSync } from 'node:fs';
import { runMockedProgram } from '@twitch-pipeline/infra-components/testing';
import { describe, expect, it } from 'vitest';
import { alertEmailFor, isProductionStack } from '../src/config';

const ROOT = new URL('../../../', import.meta.url);

// No Pulumi engine exists in tests: the stack's config is read under Pulumi's unit-test mocks.
async function loadConfigOf(stack: string, alertEmail: string | undefined) {
  let email: string | undefined;
  await runMockedProgram(
    {
      project: 'twitch-pipeline-pipeline',
      stack,
      config: { ...(alertEmail === undefined ? {} : { alertEmail }), twitchClientId: 'id-for-tests', twitchClientSecret: 'secret-for-tests' },
      secretKeys: ['twitchClientId', 'twitchClientSecret'],
    },
    async () => {
      const { loadPipelineConfig } = await import('../src/config');
      email = loadPipelineConfig().alertEmail;
      return {};
    },
  );
  return email;
}

describe('pipeline stack: alerts e-mail of a production stack', () => {
  it.each([
    ['data-alerts@example.com', /"data-alerts@example.com" is a placeholder .*stack "prod" is a production stack/],
    ['oncall@alerts.example.org', /is a placeholder \(alerts\.example\.org never receives mail\)/],
    ['oncall@company.invalid', /is a placeholder/],
    ['', /alertEmail is empty, and stack "prod" is a production stack/],
    [undefined, /alertEmail is empty/],
    ['not-an-address', /"not-an-address" is not an e-mail address/],
  ])('prod refuses alertEmail %s with a message saying how to set it', async (alertEmail, message) => {
    // act
    const loading = loadConfigOf('prod', alertEmail);
    // assess
    await expect(loading).rejects.toThrow(message);
    await expect(loadConfigOf('prod', alertEmail)).rejects.toThrow(/pulumi config set alertEmail <address>/);
  });

  it('accepts a real address in prod, and a placeholder or none in dev', async () => {
    // act
    const prod = await loadConfigOf('prod', ' oncall@twitch-streams-team.io ');
    const dev = await loadConfigOf('dev', 'data-alerts-dev@example.com');
    const devWithout = await loadConfigOf('dev', undefined);
    // assess
    expect(prod).toBe('oncall@twitch-streams-team.io');
    expect(dev).toBe('data-alerts-dev@example.com');
    expect(devWithout).toBe('');
  });

  it('knows a production stack by its name', () => {
    // act
    const names = ['prod', 'production', 'prod-eu', 'production-2', 'dev', 'test', 'preprod', 'product'];
    // assess
    expect(names.filter(isProductionStack)).toEqual(['prod', 'production', 'prod-eu', 'production-2']);
  });

  it('is set by the deploy guide before its first preview of the prod stack, whose file ships a placeholder', () => {
    // prepare
    const shipped = /twitch-pipeline-pipeline:alertEmail: *(\S*)/.exec(readFileSync(new URL('infra/pipeline/Pulumi.prod.yaml', ROOT), 'utf8'))?.[1];
    const guide = readFileSync(new URL('docs/deploy.md', ROOT), 'utf8');
    const start = guide.indexOf('## 3. Pipeline stack');
    const pipelineStep = guide.slice(start, guide.indexOf('\n## ', start));
    // act
    const commands = (/```bash\n([^`]*)```/.exec(pipelineStep)?.[1] ?? '').split('\n');
    const setsAddress = commands.findIndex((line) => /^pulumi config set alertEmail \S/.test(line));
    const previews = commands.findIndex((line) => /infra-pipeline:preview|pulumi preview/.test(line));
    // assess
    expect(() => alertEmailFor('prod', shipped ?? '')).toThrow(/placeholder/);
    expect(previews).toBeGreaterThan(0);
    expect(setsAddress).toBeGreaterThan(0);
    expect(setsAddress).toBeLessThan(previews);
  });

  it('checks addresses whatever the stack file says, so a copy of the placeholder cannot slip into prod-eu', () => {
    // act
    const attempt = () => alertEmailFor('prod-eu', 'data-alerts@example.net');
    // assess
    expect(attempt).toThrow(/placeholder/);
  });
});
