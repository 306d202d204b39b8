import { MAX_STACK_NAME_LENGTH } from '@twitch-pipeline/infra-components';
import { AWS_FIELD_LIMITS, awsLimitReport, type MockedProgram, runMockedProgram } from '@twitch-pipeline/infra-components/testing';
import { beforeAll, describe, expect, it } from 'vitest';

// AWS checks these lengths and characters only when `pulumi up` sends them: the stack is built
// here with a stack name as long as the other stacks accept and the customer-managed key on.
let program: MockedProgram;

beforeAll(async () => {
  program = await runMockedProgram(
    {
      project: 'twitch-pipeline-bootstrap',
      stack: `prod-${'x'.repeat(MAX_STACK_NAME_LENGTH - 5)}`,
      config: { customerManagedKey: 'true', keyDeletionWindowDays: '30', forceDestroy: 'true' },
    },
    () => import('../index'),
  );
});

describe('bootstrap stack: what AWS accepts', () => {
  it('gives the key alias a length and characters AWS accepts', () => {
    // prepare
    const limits = AWS_FIELD_LIMITS;
    // act
    const { findings, checked } = awsLimitReport(program, limits);
    // assess
    expect(findings).toEqual([]);
    expect(checked).toEqual(['KMS CreateAlias AliasName']);
  });
});

describe('bootstrap stack: stack names the key alias cannot carry', () => {
  const deploy = (stack: string, customerManagedKey: string) =>
    runMockedProgram({ project: 'twitch-pipeline-bootstrap', stack, config: { customerManagedKey } }, async () => {
      const { loadBootstrapConfig } = await import('../src/config');
      const { createStateBackend } = await import('../src/state-backend');
      return { secretsProvider: createStateBackend(loadBootstrapConfig()).secretsProvider };
    });

  it('refuses at preview a stack name with a dot when the customer-managed key is on: KMS would refuse its alias at up', async () => {
    // act
    const deployed = deploy('prod.eu', 'true');
    // assess
    await expect(deployed).rejects.toThrow(
      'stack name "prod.eu" cannot name the alias alias/twitch-pipeline-prod.eu-pulumi-secrets of the customer-managed key: ' +
        'KMS takes letters, digits, "/", "_" and "-" only; create the stack under such a name, for example "prod-eu"',
    );
  });

  it('accepts that name without the key, which has no alias', async () => {
    // act
    const program = await deploy('prod.eu', 'false');
    // assess
    expect(program.outputs.secretsProvider).toBe('passphrase');
  });
});
