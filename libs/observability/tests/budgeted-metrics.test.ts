import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BudgetedMetrics, isCatalogued, MetricUnit } from '../src/index';

interface EmfBlob {
  _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[] };
  [key: string]: unknown;
}

/** EMF blobs Powertools printed (with POWERTOOLS_DEV it prints through the global console). */
function printedEmf(log: { mock: { calls: unknown[][] } }): EmfBlob[] {
  return log.mock.calls.map((call) => JSON.parse(String(call[0])) as EmfBlob).filter((blob) => blob._aws);
}

/** Emitted series as "Name{dimension,…}". */
function series(blobs: EmfBlob[]): string[] {
  return blobs.flatMap((blob) =>
    blob._aws.CloudWatchMetrics.flatMap((directive) =>
      directive.Metrics.map((metric) => `${directive.Namespace}/${metric.Name}{${directive.Dimensions.flat().sort().join(',')}}`),
    ),
  );
}

describe('BudgetedMetrics', () => {
  let log: { mock: { calls: unknown[][] } };

  beforeEach(() => {
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
    log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  });

  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it('emits catalogued names as EMF and writes every other figure to one figures log line', () => {
    // prepare
    const sink = { info: vi.fn() };
    const metrics = new BudgetedMetrics({ emitter: 'extract', figureSink: sink });
    // act
    metrics.addMetric('StreamsWritten', MetricUnit.Count, 300);
    metrics.addMetric('HelixPages', MetricUnit.Count, 2);
    metrics.addMetric('HelixPages', MetricUnit.Count, 1);
    metrics.addMetric('ExtractDuration', MetricUnit.Milliseconds, 812);
    metrics.publishStoredMetrics();
    // assess
    expect(series(printedEmf(log))).toEqual(['TwitchPipeline/StreamsWritten{service}']);
    expect(printedEmf(log)[0]).toMatchObject({ service: 'twitch-pipeline', StreamsWritten: 300 });
    expect(sink.info).toHaveBeenCalledTimes(1);
    expect(sink.info).toHaveBeenCalledWith('figures', { figures: { HelixPages: 3, ExtractDuration: 812 } });
  });

  it('keeps a catalogued name out of CloudWatch when another function or dimension set records it', () => {
    // prepare
    const sink = { info: vi.fn() };
    const publish = new BudgetedMetrics({ emitter: 'publish', figureSink: sink });
    const extract = new BudgetedMetrics({ emitter: 'extract', figureSink: sink });
    // act
    publish.addMetric('StreamsWritten', MetricUnit.Count, 5);
    publish.publishStoredMetrics();
    const single = extract.singleMetric();
    single.addDimension('language', 'pt');
    single.addMetric('StreamsCollected', MetricUnit.Count, 100);
    // assess
    expect(printedEmf(log)).toEqual([]);
    expect(sink.info).toHaveBeenCalledWith('figures', { figures: { StreamsWritten: 5 } });
    expect(sink.info).toHaveBeenCalledWith('figures', { figures: { StreamsCollected: 100 }, dimensions: { language: 'pt' } });
  });

  it("carries the stack's service dimension when the function's environment names one", () => {
    // prepare: two stacks in one account and region share the namespace
    vi.stubEnv('PIPELINE_METRICS_SERVICE', 'twitch-pipeline-dev');
    const metrics = new BudgetedMetrics({ emitter: 'extract' });
    // act
    metrics.addMetric('StreamsWritten', MetricUnit.Count, 12);
    metrics.publishStoredMetrics();
    // assess
    expect(printedEmf(log)[0]).toMatchObject({ service: 'twitch-pipeline-dev', StreamsWritten: 12 });
  });

  it('emits one ColdStart series for the stack on the first invocation only', () => {
    // prepare: Lambda marks an on-demand container's first invocation as its cold start
    vi.stubEnv('AWS_LAMBDA_INITIALIZATION_TYPE', 'on-demand');
    const metrics = new BudgetedMetrics({ emitter: 'transform-gold' });
    // act
    metrics.captureColdStartMetric();
    metrics.captureColdStartMetric();
    metrics.publishStoredMetrics();
    // assess
    expect(series(printedEmf(log))).toEqual(['TwitchPipeline/ColdStart{service}']);
  });
});

describe('isCatalogued', () => {
  it('accepts a name only from its emitters and with its exact dimension set', () => {
    // act + assess
    expect(isCatalogued('StreamsWritten', 'extract', [])).toBe(true);
    expect(isCatalogued('StreamsWritten', 'extract', ['language'])).toBe(false);
    expect(isCatalogued('StreamsWritten', 'publish', [])).toBe(false);
    expect(isCatalogued('ColdStart', 'stream-consumer', [])).toBe(true);
    expect(isCatalogued('HelixPages', 'extract', [])).toBe(false);
  });
});
