import { describe, expect, it } from 'vitest';
import { createLogger, createMetrics, redactSecrets } from '../src/index';

describe('redactSecrets', () => {
  it('replaces secret-looking values at any depth and keeps the rest', () => {
    // Prepare
    const input = {
      clientSecret: 'value-one',
      nested: { access_token: 'value-two', Authorization: 'Bearer value-three', rows: 3 },
      list: [{ password: 'value-four' }],
      when: new Date(0),
    };

    // Act
    const output = redactSecrets(input);

    // Assess
    expect(output).toEqual({
      clientSecret: '[redacted]',
      nested: { access_token: '[redacted]', Authorization: '[redacted]', rows: 3 },
      list: [{ password: '[redacted]' }],
      when: new Date(0),
    });
    expect(JSON.stringify(output)).not.toMatch(/value-/);
  });
});

describe('factories', () => {
  it('build a logger and metrics for a named service', () => {
    const logger = createLogger('extract');
    const metrics = createMetrics('extract');
    expect(logger.getLevelName()).toBe('SILENT');
    expect(metrics).toHaveProperty('addMetric');
  });
});
