import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger, createMetrics } from '../src/index';

describe('factories', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it('build a logger and metrics for a named service', () => {
    // act
    const logger = createLogger('extract');
    const metrics = createMetrics('extract');
    // assess
    expect(logger.getLevelName()).toBe('SILENT');
    expect(metrics).toHaveProperty('addMetric');
  });

  it.each(['WARN', 'ERROR'])('build a logger that keeps to %s under a Lambda log-level filter at INFO', (level) => {
    // prepare: Lambda's filter stays at INFO so the EMF metric lines, which have no level, pass it
    vi.stubEnv('AWS_LAMBDA_LOG_LEVEL', 'INFO');
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', level);
    const lines: string[] = [];
    for (const method of ['info', 'warn', 'error'] as const) {
      vi.spyOn(console, method).mockImplementation((line: string) => lines.push(JSON.parse(line).level));
    }
    const logger = createLogger('extract');
    // act
    logger.info('figures', { figures: { HelixPages: 3 } });
    logger.warn('Helix retried');
    logger.error('extract failed');
    // assess
    expect(lines).toEqual(level === 'WARN' ? ['WARN', 'ERROR'] : ['ERROR']);
  });
});
