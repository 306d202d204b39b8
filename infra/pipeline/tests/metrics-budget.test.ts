import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isCatalogued, METRIC_CATALOGUE, METRICS_NAMESPACE, type MetricEmitter } from '@twitch-pipeline/observability';
import { describe, expect, it } from 'vitest';
import { alarmDefinitions } from '../src/alarms';
import { FUNCTION_NAMES, type FunctionName } from '../src/config';
import { dashboardBody } from '../src/dashboard';
import { fieldsOf, LOG_WIDGETS } from '../src/metrics';

// The metrics budget, derived from the code: every metric the sources can send to CloudWatch
// (name × dimension set) must be read by an alarm or a dashboard widget, and everything the alarms
// and the dashboard read must be something the code emits, and so must every metric or figure
// the docs name. Plain data only: no Pulumi engine.
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const HANDLER_APPS = ['extract', 'publish', 'stream-consumer', 'transform'];

/** A metric as CloudWatch bills it: namespace, name and the sorted dimension names. */
type Series = string;
const series = (namespace: string, name: string, dimensions: string[]): Series => `${namespace}/${name}{${[...dimensions].sort().join(',')}}`;

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name === 'tests' ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Which functions run a source file (a shared library file counts for every function). */
function emittersOf(path: string): MetricEmitter[] {
  const file = relative(ROOT, path);
  const byPrefix: [string, MetricEmitter[]][] = [
    ['apps/extract/', ['extract']],
    ['apps/publish/', ['publish']],
    ['apps/stream-consumer/', ['stream-consumer']],
    ['apps/transform/src/silver', ['transform-silver']],
    ['apps/transform/src/gold', ['transform-gold']],
    ['libs/pipeline/src/extract/', ['extract']],
    ['libs/pipeline/src/realtime/publish', ['publish']],
    ['libs/pipeline/src/transform/silver', ['transform-silver']],
    ['libs/pipeline/src/transform/gold', ['transform-gold']],
  ];
  return byPrefix.find(([prefix]) => file.startsWith(prefix))?.[1] ?? [...FUNCTION_NAMES];
}

/** Sources the Lambda bundles are built from (libs/observability is the budget itself). */
function lambdaSources(): string[] {
  return [
    ...HANDLER_APPS.flatMap((app) => sourceFiles(join(ROOT, 'apps', app, 'src'))),
    ...readdirSync(join(ROOT, 'libs'))
      .filter((lib) => lib !== 'observability')
      .flatMap((lib) => sourceFiles(join(ROOT, 'libs', lib, 'src'))),
  ];
}

interface Recorded {
  name: string;
  dimensions: string[];
  emitters: MetricEmitter[];
  file: string;
}

/**
 * Every metric a source records with a literal name: `addMetric('Name', …)`, with the extra
 * dimensions of a `singleMetric()` whose `addDimension('key', …)` precedes it in the same file,
 * and the `ColdStart` of every handler that begins its invocations with `beginInvocation`.
 */
function recordedMetrics(files: string[]): Recorded[] {
  return files.flatMap((path) => {
    const text = readFileSync(path, 'utf8');
    const emitters = emittersOf(path);
    const file = relative(ROOT, path);
    const recorded = [...text.matchAll(/(\w+)\??\.addMetric\(\s*(['`])([^'`$]+)(\$\{)?/g)].map((match) => {
      const receiver = match[1]!;
      const before = text.slice(0, match.index);
      const single = new RegExp(`\\b${receiver}\\s*=\\s*\\w+\\??\\.singleMetric\\(\\)`).test(before);
      const dimensions = single ? [...before.matchAll(new RegExp(`${receiver}\\.addDimension\\(\\s*'([^']+)'`, 'g'))].map((m) => m[1]!) : [];
      return { name: match[4] ? `${match[3]}*` : match[3]!, dimensions, emitters, file };
    });
    const coldStart = /beginInvocation\(|captureColdStartMetric\(/.test(text) ? [{ name: 'ColdStart', dimensions: [], emitters, file }] : [];
    return [...recorded, ...coldStart];
  });
}

/** The series the recorded metrics put into CloudWatch: catalogued for one of their emitters. */
function emittedSeries(recorded: Recorded[]): Set<Series> {
  return new Set(
    recorded
      .filter((metric) => metric.emitters.some((emitter) => isCatalogued(metric.name, emitter, metric.dimensions)))
      .map((metric) => series(METRICS_NAMESPACE, metric.name, ['service', ...metric.dimensions])),
  );
}

const SETTINGS = { prefix: 'twitch-pipeline-prod', intervalMinutes: 30, errorRateThresholdPercent: 5, errorRateWindowMinutes: 60, scheduleEnabled: true };
const FUNCTION_RESOURCE_NAMES = Object.fromEntries(FUNCTION_NAMES.map((fn) => [fn, `twitch-pipeline-prod-${fn}`])) as Record<FunctionName, string>;
const TARGETS = { functionNames: FUNCTION_RESOURCE_NAMES, deadLetterQueueName: 'twitch-pipeline-prod-events-dlq', stateMachineArn: 'arn:aws:states:sa-east-1:123456789012:stateMachine:twitch-pipeline-prod-pipeline' };

/** Every metric series the alarms and the dashboard's metric widgets read, with the widget or alarm. */
function readSeries(): Map<Series, string[]> {
  const reads = new Map<Series, string[]>();
  const add = (key: Series, reader: string) => reads.set(key, [...(reads.get(key) ?? []), reader]);
  for (const alarm of alarmDefinitions(SETTINGS, TARGETS)) {
    for (const metric of Object.values(alarm.metrics)) add(series(metric.namespace, metric.metricName, Object.keys(metric.dimensions)), `alarm ${alarm.id}`);
  }
  const body = JSON.parse(dashboardBody({ region: 'sa-east-1', queueName: 'twitch-pipeline-prod-events', alarmArns: [], metricsService: SETTINGS.prefix, ...TARGETS }));
  for (const widget of body.widgets.filter((candidate: { type: string }) => candidate.type === 'metric')) {
    for (const row of widget.properties.metrics as (string | object)[][]) {
      const [namespace, name, ...rest] = row.filter((part): part is string => typeof part === 'string');
      if (row.some((part) => typeof part === 'object' && 'expression' in part)) throw new Error(`widget ${widget.properties.title}: an expression hides which series it reads`);
      add(series(namespace!, name!, rest.filter((_, index) => index % 2 === 0)), `widget ${widget.properties.title}`);
    }
  }
  return reads;
}

/** Metric names AWS publishes, with their dimension, for the services the alarms and dashboard read. */
const AWS_SERIES = new Set([
  ...['Invocations', 'Errors', 'Duration'].map((name) => series('AWS/Lambda', name, ['FunctionName'])),
  ...['NumberOfMessagesSent', 'NumberOfMessagesReceived', 'NumberOfMessagesDeleted', 'ApproximateAgeOfOldestMessage', 'ApproximateNumberOfMessagesVisible'].map((name) => series('AWS/SQS', name, ['QueueName'])),
  ...['ExecutionsStarted', 'ExecutionsSucceeded', 'ExecutionsFailed', 'ExecutionsTimedOut', 'ExecutionsAborted'].map((name) => series('AWS/States', name, ['StateMachineArn'])),
]);

/** A name the docs give as a CloudWatch metric or as a field of the `figures` log line. */
interface Documented {
  doc: string;
  name: string;
  as: 'metric' | 'figure';
}

const DOCUMENTED_NAME = /`([A-Z][A-Za-z0-9]*(?:_<\w+>)?)`/g;

/**
 * What the docs present as metrics and figures: the backquoted names of a list that opens with
 * "Metrics" or "Figures" (and an optional parenthesis) and a colon, up to the end of its sentence
 * (parentheses inside the list explain a name rather than give one); a name next to the word
 * "metric" or "figure"; and every `figures.<Name>` field.
 */
function documentedNames(): Documented[] {
  const docs = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((file) => file.endsWith('.md')).map((file) => `docs/${file}`)];
  return docs.flatMap((doc) => {
    // Lines of a paragraph are joined; a blank line still ends one.
    const text = readFileSync(join(ROOT, doc), 'utf8').replace(/(?<!\n)\n(?!\n)/g, ' ');
    const names = (fragment: string, as: Documented['as']) => [...fragment.matchAll(DOCUMENTED_NAME)].map((match) => ({ doc, name: match[1]!, as }));
    const lists = [...text.matchAll(/\b(Metrics|Figures)(?: \([^)]*\))?:(.*?)(?:\.(?=\s)|\n\n|\||$)/gs)].flatMap((match) =>
      names(match[2]!.replace(/\([^)]*\)/g, ''), match[1] === 'Metrics' ? 'metric' : 'figure'),
    );
    const beside = [...text.matchAll(/(`\w+` (metric|figure)\b|\b(metric|figure) `\w+`)/g)].flatMap((match) =>
      names(match[1]!, (match[2] ?? match[3]) as Documented['as']),
    );
    const fields = [...text.matchAll(/\bfigures\.([A-Z]\w*)/g)].map((match) => ({ doc, name: match[1]!, as: 'figure' as const }));
    return [...lists, ...beside, ...fields];
  });
}

/** Emitted series no alarm or widget reads: each would cost $0.30 a month for nothing. */
function unreadSeries(emitted: Set<Series>, reads: Map<Series, string[]>): Series[] {
  return [...emitted].filter((key) => !reads.has(key));
}

describe('metrics budget', () => {
  it('finds the metrics the handlers record, and sends only catalogued ones to CloudWatch', () => {
    // prepare
    const recorded = recordedMetrics(lambdaSources());
    // act
    const emitted = emittedSeries(recorded);
    // assess
    expect(recorded.map((metric) => metric.name)).toEqual(expect.arrayContaining(['StreamsWritten', 'StreamsCollected', 'HelixPages', 'EventsPublished', 'EventsWritten', 'SilverRowsOut', 'GoldDates', 'ColdStart']));
    expect(recorded.find((metric) => metric.name === 'StreamsCollected')?.dimensions).toEqual(['language']);
    expect([...emitted].sort()).toEqual(['TwitchPipeline/ColdStart{service}', 'TwitchPipeline/StreamsWritten{service}']);
  });

  it('begins every handler invocation with the cold-start metric and the correlation keys', () => {
    // prepare
    const handlers = HANDLER_APPS.flatMap((app) => sourceFiles(join(ROOT, 'apps', app, 'src'))).filter((path) => /-handler\.ts$/.test(path));
    // act
    const without = handlers.filter((path) => !/beginInvocation\(\{ logger, metrics \}/.test(readFileSync(path, 'utf8')));
    // assess
    expect(handlers.length).toBe(5);
    expect(without).toEqual([]);
  });

  it('has no way to CloudWatch metrics around the budget', () => {
    // prepare
    const files = lambdaSources();
    // act
    const bypasses = files.filter((path) => /@aws-lambda-powertools\/metrics|new Metrics\(|PutMetricData|client-cloudwatch['"]/.test(readFileSync(path, 'utf8')));
    // assess
    expect(bypasses.map((path) => relative(ROOT, path))).toEqual([]);
  });

  it('spends on no metric that an alarm or a dashboard widget does not read', () => {
    // prepare
    const emitted = emittedSeries(recordedMetrics(lambdaSources()));
    // act
    const unread = unreadSeries(emitted, readSeries());
    // assess
    expect(unread).toEqual([]);
    expect(Object.keys(METRIC_CATALOGUE).map((name) => series(METRICS_NAMESPACE, name, ['service'])).filter((key) => !emitted.has(key))).toEqual([]);
  });

  it('reports a recorded catalogued metric that nothing reads', () => {
    // prepare: a handler that would also emit the catalogue's ColdStart with a language dimension, and an unread custom series
    const emitted = new Set([series(METRICS_NAMESPACE, 'StreamsWritten', ['service']), series(METRICS_NAMESPACE, 'Orphan', ['service'])]);
    // act
    const unread = unreadSeries(emitted, readSeries());
    // assess
    expect(unread).toEqual(['TwitchPipeline/Orphan{service}']);
  });

  it('reads in alarms and widgets only series that AWS publishes or the code emits', () => {
    // prepare
    const emitted = emittedSeries(recordedMetrics(lambdaSources()));
    // act
    const unknown = [...readSeries().entries()].filter(([key]) => !emitted.has(key) && !AWS_SERIES.has(key));
    // assess
    expect(unknown).toEqual([]);
  });

  it('names in the docs as metrics only catalogued or AWS metrics, and as figures only figures the code logs', () => {
    // prepare
    const recorded = recordedMetrics(lambdaSources());
    const awsNames = new Set([...AWS_SERIES].map((key) => key.split('/')[2]!.split('{')[0]!));
    const documented = documentedNames();
    // act
    const problems = documented.filter(({ name, as }) => {
      if (as === 'metric') return !(name in METRIC_CATALOGUE) && !awsNames.has(name);
      const figure = name.replace(/_<\w+>$/, '_*');
      return !recorded.some((metric) => metric.name === figure && metric.emitters.some((emitter) => !isCatalogued(figure, emitter, metric.dimensions)));
    });
    // assess: and the docs' lists are found, so a change of wording cannot make this test vacuous
    expect(problems.map(({ doc, name, as }) => `${doc}: ${as} ${name}`)).toEqual([]);
    expect(documented.filter(({ as }) => as === 'metric').length).toBeGreaterThan(3);
    expect(documented.filter(({ as }) => as === 'figure').length).toBeGreaterThan(20);
  });

  it('queries in its log widgets only figures the code records and catalogued metrics it emits', () => {
    // prepare
    const recorded = recordedMetrics(lambdaSources());
    const emitted = emittedSeries(recorded);
    // act
    const problems = LOG_WIDGETS.flatMap((widget) => {
      const { figures, metrics } = fieldsOf(widget.query);
      const logged = (name: string) =>
        recorded.some((metric) => metric.name === name && metric.emitters.some((emitter) => widget.functions.includes(emitter) && !isCatalogued(name, emitter, metric.dimensions)));
      return [
        ...figures.filter((name) => !logged(name)).map((name) => `${widget.title}: figures.${name} is not a figure its functions log`),
        ...metrics.filter((name) => !emitted.has(series(METRICS_NAMESPACE, name, ['service']))).map((name) => `${widget.title}: ${name} is not emitted`),
      ];
    });
    // assess
    expect(LOG_WIDGETS.flatMap((widget) => fieldsOf(widget.query).figures).length).toBeGreaterThan(10);
    expect(problems).toEqual([]);
  });
});
