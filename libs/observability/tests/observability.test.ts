import { describe, expect, it } from 'vitest';
import { createLogger, createMetrics } from '../src/index';

describe('factories', () => {
  it('build a logger and metrics for a named service', () => {
    const logger = createLogger('extract');
    const metrics = createMetrics('extract');
    expect(logger.getLevelName()).toBe('SILENT');
    expect(metrics).toHaveProperty('addMetric');
  });
});
