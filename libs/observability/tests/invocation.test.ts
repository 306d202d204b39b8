import type { Context } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { appendCorrelationKeys, beginInvocation, createLogger, createMetrics } from '../src/index';

function lambdaContext(requestId: string): Context {
  return {
    functionName: 'twitch-pipeline-prod-publish',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:sa-east-1:123456789012:function:twitch-pipeline-prod-publish',
    memoryLimitInMB: '1024',
    awsRequestId: requestId,
  } as Context;
}

describe('beginInvocation', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it('gives each invocation its own correlation keys: nothing leaks into the next one', () => {
    // prepare
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'INFO');
    const lines: Record<string, unknown>[] = [];
    vi.spyOn(console, 'info').mockImplementation((line: string) => lines.push(JSON.parse(line)));
    const logger = createLogger('publish');
    const metrics = createMetrics('publish');
    // act
    beginInvocation({ logger, metrics }, lambdaContext('request-1'), { snapshot_id: '20261129T213000Z', dt: '2026-11-29' });
    logger.info('first');
    beginInvocation({ logger, metrics }, lambdaContext('request-2'), { message_ids: ['m-1', 'm-2'] });
    logger.info('second');
    // assess
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ message: 'first', snapshot_id: '20261129T213000Z', dt: '2026-11-29', function_request_id: 'request-1' });
    expect(lines[1]).toMatchObject({ message: 'second', message_ids: ['m-1', 'm-2'], function_request_id: 'request-2' });
    expect(lines[1]).not.toHaveProperty('snapshot_id');
    expect(lines[1]).not.toHaveProperty('dt');
  });

  it('logs an error with its stack', () => {
    // prepare
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'INFO');
    const lines: Record<string, unknown>[] = [];
    vi.spyOn(console, 'error').mockImplementation((line: string) => lines.push(JSON.parse(line)));
    const logger = createLogger('extract');
    // act
    logger.error('extract failed', new Error('Helix unavailable'));
    // assess
    expect(lines[0]).toMatchObject({ message: 'extract failed', error: { name: 'Error', message: 'Helix unavailable' } });
    expect(JSON.stringify((lines[0]!.error as { stack: unknown }).stack)).toContain('invocation.test.ts');
  });
});

describe('appendCorrelationKeys', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it('adds the keys an input gives and leaves out those it lacks, as no key at all', () => {
    // prepare
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'INFO');
    const lines: Record<string, unknown>[] = [];
    vi.spyOn(console, 'info').mockImplementation((line: string) => lines.push(JSON.parse(line)));
    const logger = createLogger('publish');
    const metrics = createMetrics('publish');
    beginInvocation({ logger, metrics }, lambdaContext('request-1'));

    // act
    appendCorrelationKeys(logger, { snapshot_id: '20261129T213000Z', execution_name: undefined });
    logger.info('published');

    // assess
    expect(lines[0]).toMatchObject({ message: 'published', snapshot_id: '20261129T213000Z' });
    expect(Object.keys(lines[0]!)).not.toContain('execution_name');
  });
});
