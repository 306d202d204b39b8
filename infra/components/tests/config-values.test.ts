import * as pulumi from '@pulumi/pulumi';
import { describe, expect, it } from 'vitest';
import { getLogRetentionDays, getWholeNumber, LOG_RETENTION_DAYS } from '../src/config-values';
import { runMockedProgram } from '../src/testing';

// No Pulumi engine exists in tests: the stack's config is read under Pulumi's unit-test mocks.
async function read<T>(values: Record<string, string>, reader: (config: pulumi.Config) => T): Promise<T> {
  let result: T | undefined;
  await runMockedProgram({ project: 'components', stack: 'test', config: values }, async () => {
    result = reader(new pulumi.Config());
    return {};
  });
  return result as T;
}

/** The message a reading fails with; mocked runs share Pulumi's global settings, so one at a time. */
async function failureOf(values: Record<string, string>, reader: (config: pulumi.Config) => unknown): Promise<string> {
  try {
    await read(values, reader);
  } catch (error) {
    return (error as Error).message;
  }
  return 'no error';
}

describe('whole-number settings', () => {
  it('reads a whole number, and nothing when unset', async () => {
    // act
    const set = await read({ intervalMinutes: ' 15 ' }, (config) => getWholeNumber(config, 'intervalMinutes', { min: 1, max: 1440 }));
    const unset = await read({}, (config) => getWholeNumber(config, 'intervalMinutes'));
    // assess
    expect(set).toBe(15);
    expect(unset).toBeUndefined();
  });

  it.each(['7.5', '1536.5', '1e3', '30days', '-1', ''])('refuses %j, naming the key', async (value) => {
    // act
    const reading = read({ intervalMinutes: value }, (config) => getWholeNumber(config, 'intervalMinutes', { min: 1 }));
    // assess
    await expect(reading).rejects.toThrow(
      `components:intervalMinutes must be a whole number (got "${value}"); set it with "pulumi config set intervalMinutes <value>"`,
    );
  });

  it('refuses a whole number out of range, naming the key and the bound', async () => {
    // act
    const low = await failureOf({ memoryMb: '64' }, (config) => getWholeNumber(config, 'memoryMb', { min: 128, max: 10240 }));
    const high = await failureOf({ memoryMb: '20000' }, (config) => getWholeNumber(config, 'memoryMb', { min: 128, max: 10240 }));
    // assess
    expect(low).toContain('components:memoryMb must be at least 128 (got 64)');
    expect(high).toContain('components:memoryMb must be at most 10240 (got 20000)');
  });
});

describe('log retention settings', () => {
  it('accepts every retention CloudWatch Logs accepts', async () => {
    // act
    const accepted: (number | undefined)[] = [];
    for (const days of LOG_RETENTION_DAYS) {
      accepted.push(await read({ logRetentionDays: String(days) }, (config) => getLogRetentionDays(config, 'logRetentionDays')));
    }
    // assess
    expect(accepted).toEqual([...LOG_RETENTION_DAYS]);
  });

  it.each([
    ['10', '7 or 14'],
    ['4000', '3653'],
  ])('refuses %s days, naming the key and the nearest allowed values', async (days, nearest) => {
    // act
    const failure = await failureOf({ logRetentionDays: days }, (config) => getLogRetentionDays(config, 'logRetentionDays'));
    // assess
    expect(failure).toContain(`components:logRetentionDays is ${days} days, which CloudWatch Logs refuses`);
    expect(failure).toContain(`use ${nearest} with "pulumi config set logRetentionDays <days>"`);
  });

  it('refuses 0 (never expire) and a decimal', async () => {
    // act
    const never = await failureOf({ logRetentionDays: '0' }, (config) => getLogRetentionDays(config, 'logRetentionDays'));
    const decimal = await failureOf({ logRetentionDays: '14.5' }, (config) => getLogRetentionDays(config, 'logRetentionDays'));
    // assess
    expect(never).toContain('components:logRetentionDays must be at least 1 (got 0)');
    expect(decimal).toContain('components:logRetentionDays must be a whole number (got "14.5")');
  });
});
