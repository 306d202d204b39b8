import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { METRIC_CATALOGUE } from '@twitch-pipeline/observability';
import { ANALYTICS_TABLES, GOLD_TABLES } from '@twitch-pipeline/schemas';
import type { FunctionName } from '../../../infra/pipeline/src/config';
import { pipelineDefinition } from '../../../infra/pipeline/src/state-machine-definition';
import type { RunUsage, S3RequestUsage } from './measured-usage';
import { ALWAYS_FREE, PRICES } from './prices';
import { alarmMetricCount, type StackSettings } from './stack-settings';

/** One line of the estimate: a service, what it does per run and month, and its cost. */
export interface CostItem {
  item: string;
  perRun: string;
  perMonth: string;
  /** Dollars a month at list price, no free tier. */
  listCost: number;
  /** Dollars a month after AWS's always-free allowances. */
  freeTierCost: number;
}

/** A workload to price: its measured run and what its users query. */
export interface Workload {
  usage: RunUsage;
  /** The S3 requests of one run, measured (the same for every workload). */
  requests: S3RequestUsage;
  athenaQueriesPerMonth: number;
  athenaGbPerQuery: number;
}

/** Cores of the machine the usage was measured on: Lambda's CPU share is scaled against it. */
const MEASURED_CORES = 2;
/** Lambda gives a function one vCPU per 1,769 MB. */
const MB_PER_VCPU = 1769;
/** Events per queue message (one DynamoDB batch write each) and messages per SendMessageBatch. */
const EVENTS_PER_MESSAGE = 25;
const MESSAGES_PER_SEND = 10;
/** SQS bills a request per 64 KB: a batch of ten ~10 KB messages is two. */
const SQS_CHUNKS_PER_SEND = 2;
/**
 * Receives the event source mapping makes on an idle queue: five long polls of 20 s
 * (three a minute each) around the clock, AWS's documented polling behaviour for standard queues.
 */
const IDLE_POLLS_PER_MONTH = 5 * 3 * 60 * 24 * 30;
/** A real-time item (silver attributes, keys, TTL) is under 1 KB: one write unit. */
const REALTIME_ITEM_BYTES = 600;
/** Log lines of one invocation: Powertools' JSON lines, the figures line, EMF and Lambda's platform report. */
const LOG_BYTES_PER_INVOCATION = 4096;
/** The data stack's crawlers, and what one run bills at least (10 minutes at 2 DPUs). */
const CRAWLERS = 3;
const CRAWLER_DPU_HOURS_PER_RUN = 2 * (10 / 60);
/** Days in the month the estimate uses. */
const DAYS = 30;
/** Keys S3 returns per listing request. */
const KEYS_PER_LISTING_PAGE = 1000;
/** The history whose listings the estimate prices: month 12, as its storage. */
const HISTORY_DAYS = 365;

/**
 * LIST requests a run makes beyond the measured ones once the lake holds a year: the measurement
 * runs on a young lake, where every listing is one page. Only the functions' daily sweep (see
 * apps/transform/src/listing-window.ts) lists whole layers, once a day: bronze and silver in the
 * silver step, silver again and all of `gold/` (its check for files no step wrote) in gold.
 */
function historyListingPages(runsPerDay: number): number {
  const pages = (keys: number) => Math.max(1, Math.ceil(keys / KEYS_PER_LISTING_PAGE));
  const goldKeys = (Object.keys(GOLD_TABLES).length + Object.keys(ANALYTICS_TABLES).length) * HISTORY_DAYS;
  const snapshotKeys = runsPerDay * HISTORY_DAYS;
  return (pages(goldKeys) - 1 + 3 * (pages(snapshotKeys) - 1)) / runsPerDay;
}

const money = (value: number) => `$${value.toFixed(2)}`;
const count = (value: number) => Math.round(value).toLocaleString('en-US');
const afterFree = (used: number, free: number) => Math.max(0, used - free);

interface DefinitionState {
  Type: string;
  Next?: string;
  Default?: string;
  Choices?: { Next: string }[];
}

/** State transitions of one run that collects and succeeds: the states from StartAt to the end, the guard's choice straight on to the extract (a run alone), the others through their default branch (the one after gold ends the run when silver and gold failed nothing). */
function transitionsPerRun(): number {
  const definition = JSON.parse(pipelineDefinition({ extract: 'e', publish: 'p', silver: 's', gold: 'g', alertsTopic: 't' }));
  const states = definition.States as Record<string, DefinitionState>;
  // A run alone that succeeds: its choices lead to the extract when one can, else to their default.
  const next = (state: DefinitionState): string | undefined =>
    state.Type === 'Choice' ? (state.Choices?.some((choice) => choice.Next === 'Extract') ? 'Extract' : state.Default) : state.Next;
  let count = 0;
  for (let name: string | undefined = definition.StartAt; name && count < 100; name = next(states[name]!)) count += 1;
  return count;
}

/** Whether the data stack runs the Glue crawlers on a schedule (each run of the three bills ≥ 10 min at 2 DPUs). */
function crawlerSchedule(stack: string): string {
  const file = fileURLToPath(new URL(`../../../infra/data/Pulumi.${stack}.yaml`, import.meta.url));
  return /twitch-pipeline-data:crawlerSchedule:\s*"?([^"\n]*)"?/.exec(readFileSync(file, 'utf8'))?.[1]?.trim() ?? '';
}

/**
 * The monthly estimate of one workload on one stack's settings: Lambda from the measured step
 * times scaled to each function's vCPU share, S3 and SQS requests counted from the steps, the
 * real-time table's writes and storage, Step Functions transitions from the definition, the
 * metrics catalogue, the alarm definitions and the dashboard, logs, traces and Athena.
 *
 * @example
 * const measured = readMeasuredUsage();
 * const items = monthlyCost(readStackSettings('prod'), { usage: measured.original, requests: measured.s3Requests, athenaQueriesPerMonth: 100, athenaGbPerQuery: 0.01 });
 */
export function monthlyCost(settings: StackSettings, workload: Workload): CostItem[] {
  const { usage, requests } = workload;
  const runs = (DAYS * 24 * 60) / settings.intervalMinutes;
  const runsPerDay = runs / DAYS;
  const messages = Math.ceil(usage.streams / EVENTS_PER_MESSAGE);
  const consumerInvocations = Math.ceil(messages / settings.consumerBatchSize);
  const scaled = (fn: FunctionName, ms: number) => {
    const memoryGb = settings.memoryMb[fn] / 1024;
    const slowdown = Math.max(1, MEASURED_CORES / (settings.memoryMb[fn] / MB_PER_VCPU));
    return { gbSeconds: memoryGb * (ms / 1000) * slowdown, seconds: (ms / 1000) * slowdown, memoryGb };
  };
  const steps: [string, FunctionName, number][] = [
    ['extract', 'extract', usage.stepsMs.extract],
    ['publish', 'publish', usage.stepsMs.publish],
    ['consumer', 'stream-consumer', usage.stepsMs.consume],
    ['silver', 'transform-silver', usage.stepsMs.silver],
    ['gold', 'transform-gold', usage.stepsMs.gold],
  ];
  const lambda = steps.map(([label, fn, ms]) => ({ label, ...scaled(fn, ms) }));
  const gbSecondsPerRun = lambda.reduce((sum, step) => sum + step.gbSeconds, 0);
  const invocationsPerRun = 4 + consumerInvocations;

  const putsPerRun = requests.putOrListPerRun + historyListingPages(runsPerDay);
  // Gold downloads its date's silver objects, as many on average as half a day's runs: the measured
  // GETs at the measured interval, moved by the difference for this stack's.
  const measuredRunsPerDay = (24 * 60) / requests.intervalMinutes;
  const getsPerRun = requests.getPerRun + (runsPerDay - measuredRunsPerDay) / 2;
  const storedGb = (12 * runs * (usage.bronzeBytes + usage.silverBytes) + 12 * DAYS * usage.goldBytesPerDay) / 1e9;

  const sqsPerRun = Math.ceil(messages / MESSAGES_PER_SEND) * SQS_CHUNKS_PER_SEND + 2 * consumerInvocations;
  const sqsRequests = sqsPerRun * runs + IDLE_POLLS_PER_MONTH;
  const writeUnits = usage.streams * runs;
  const tableGb = (usage.streams * ((settings.realtimeTtlHours * 60) / settings.intervalMinutes) * REALTIME_ITEM_BYTES) / 1e9;
  const transitions = transitionsPerRun() * runs;
  // X-Ray's default sampling rule records the first request each second and 5 % of the rest.
  const consumerTraces = Math.min(consumerInvocations, 1 + Math.ceil(0.05 * (consumerInvocations - 1)));
  const traces = runs * (1 + consumerTraces);
  const logsGb = (invocationsPerRun * runs * LOG_BYTES_PER_INVOCATION) / 1e9;
  const metrics = Object.keys(METRIC_CATALOGUE).length;
  const alarms = alarmMetricCount(settings);
  const athenaTb = (workload.athenaQueriesPerMonth * Math.max(workload.athenaGbPerQuery, PRICES.athenaMinimumMb / 1000)) / 1000;
  const schedule = crawlerSchedule(settings.stack);

  const item = (name: string, perRun: string, perMonth: string, listCost: number, freeTierCost = listCost): CostItem => ({
    item: name,
    perRun,
    perMonth,
    listCost,
    freeTierCost,
  });
  return [
    item(
      'Lambda duration',
      lambda.map((step) => `${step.label} ${step.memoryGb} GB × ${step.seconds.toFixed(1)} s`).join(', '),
      `${count(gbSecondsPerRun * runs)} GB-s`,
      gbSecondsPerRun * runs * PRICES.lambdaGbSecond,
      afterFree(gbSecondsPerRun * runs, ALWAYS_FREE.lambdaGbSeconds) * PRICES.lambdaGbSecond,
    ),
    item(
      'Lambda requests',
      `${invocationsPerRun} invocations`,
      count(invocationsPerRun * runs),
      ((invocationsPerRun * runs) / 1e6) * PRICES.lambdaRequestsPerMillion,
      (afterFree(invocationsPerRun * runs, ALWAYS_FREE.lambdaRequests) / 1e6) * PRICES.lambdaRequestsPerMillion,
    ),
    item(
      'S3 requests',
      `${putsPerRun.toFixed(1)} PUT/LIST, ${getsPerRun.toFixed(1)} GET (gold re-reads the day's silver; month 12's listings)`,
      `${count(putsPerRun * runs)} PUT, ${count(getsPerRun * runs)} GET`,
      ((putsPerRun * runs) / 1000) * PRICES.s3PutPerThousand + ((getsPerRun * runs) / 1000) * PRICES.s3GetPerThousand,
    ),
    item(
      'S3 storage (month 12)',
      `${count((usage.bronzeBytes + usage.silverBytes) / 1000)} KB bronze + silver, ${count(usage.goldBytesPerDay / 1000)} KB gold a day`,
      `${storedGb.toFixed(2)} GB`,
      storedGb * PRICES.s3StandardGbMonth,
    ),
    item(
      'SQS',
      `${messages} messages sent, received and deleted`,
      `${count(sqsRequests)} requests (${count(IDLE_POLLS_PER_MONTH)} idle polls)`,
      (sqsRequests / 1e6) * PRICES.sqsRequestsPerMillion,
      (afterFree(sqsRequests, ALWAYS_FREE.sqsRequests) / 1e6) * PRICES.sqsRequestsPerMillion,
    ),
    item('DynamoDB writes', `${count(usage.streams)} items < 1 KB`, `${count(writeUnits)} WRU`, (writeUnits / 1e6) * PRICES.dynamoWritesPerMillion),
    item(
      'DynamoDB storage + PITR',
      `${settings.realtimeTtlHours} h of items (TTL)`,
      `${tableGb.toFixed(3)} GB`,
      tableGb * (PRICES.dynamoStorageGbMonth + PRICES.dynamoPitrGbMonth),
      afterFree(tableGb, ALWAYS_FREE.dynamoStorageGb) * PRICES.dynamoStorageGbMonth + tableGb * PRICES.dynamoPitrGbMonth,
    ),
    item(
      'Step Functions',
      `${transitionsPerRun()} transitions`,
      count(transitions),
      (transitions / 1000) * PRICES.stepFunctionsPerThousandTransitions,
      (afterFree(transitions, ALWAYS_FREE.stepFunctionsTransitions) / 1000) * PRICES.stepFunctionsPerThousandTransitions,
    ),
    item(
      'Twitch credentials',
      'Parameter Store SecureString (aws/ssm), ≤ 1 read and KMS decrypt',
      `${count(runs)} reads`,
      (runs / 10_000) * PRICES.kmsRequestsPerTenThousand,
      (afterFree(runs, ALWAYS_FREE.kmsRequests) / 10_000) * PRICES.kmsRequestsPerTenThousand,
    ),
    item(
      'CloudWatch custom metrics',
      `${Object.keys(METRIC_CATALOGUE).join(', ')} (the metrics budget)`,
      `${metrics} metrics`,
      metrics * PRICES.cloudwatchMetricMonth,
      afterFree(metrics, ALWAYS_FREE.cloudwatchMetrics) * PRICES.cloudwatchMetricMonth,
    ),
    item(
      'CloudWatch alarms',
      `${alarms.alarms} alarms`,
      `${alarms.metrics} alarm metrics`,
      alarms.metrics * PRICES.cloudwatchAlarmMetricMonth,
      afterFree(alarms.metrics, ALWAYS_FREE.cloudwatchAlarmMetrics) * PRICES.cloudwatchAlarmMetricMonth,
    ),
    item('CloudWatch dashboard', '1 dashboard', '1', PRICES.cloudwatchDashboardMonth, afterFree(1, ALWAYS_FREE.cloudwatchDashboards) * PRICES.cloudwatchDashboardMonth),
    item(
      'CloudWatch Logs',
      `${invocationsPerRun} invocations × ~4 KB, kept ${settings.logRetentionDays} days`,
      `${logsGb.toFixed(3)} GB`,
      logsGb * PRICES.logsIngestionGb + logsGb * (settings.logRetentionDays / DAYS) * PRICES.logsStorageGbMonth,
      afterFree(logsGb, ALWAYS_FREE.logsGb) * PRICES.logsIngestionGb + logsGb * (settings.logRetentionDays / DAYS) * PRICES.logsStorageGbMonth,
    ),
    item(
      'X-Ray',
      `${1 + consumerTraces} traces (default sampling)`,
      `${count(traces)} traces`,
      (traces / 1e6) * PRICES.xrayTracesPerMillion,
      (afterFree(traces, ALWAYS_FREE.xrayTraces) / 1e6) * PRICES.xrayTracesPerMillion,
    ),
    item(
      'Athena',
      '—',
      `${workload.athenaQueriesPerMonth} queries, ${(athenaTb * 1000).toFixed(0)} GB`,
      athenaTb * PRICES.athenaPerTb,
    ),
    item(
      'Glue crawlers',
      '—',
      schedule ? `${schedule} (priced as daily)` : 'on demand only',
      schedule ? DAYS * CRAWLERS * CRAWLER_DPU_HOURS_PER_RUN * PRICES.glueDpuHour : 0,
    ),
  ];
}

/**
 * The estimate as the Markdown table the deploy guide shows, with a total row.
 *
 * @example
 * console.log(costTable(monthlyCost(settings, workload)));
 */
export function costTable(items: CostItem[]): string {
  const total = (pick: (item: CostItem) => number) => items.reduce((sum, item) => sum + pick(item), 0);
  const rows = items.map((item) => `| ${item.item} | ${item.perRun} | ${item.perMonth} | ${money(item.listCost)} | ${money(item.freeTierCost)} |`);
  return [
    '| item | usage per run | per month | list price | with always-free tier |',
    '|---|---|---|---|---|',
    ...rows,
    `| **total** | | | **${money(total((item) => item.listCost))}** | **${money(total((item) => item.freeTierCost))}** |`,
  ].join('\n');
}

/**
 * The largest items of an estimate, most expensive first.
 *
 * @example
 * biggestItems(items, 1)[0].item; // 'DynamoDB writes'
 */
export function biggestItems(items: CostItem[], how = 3): CostItem[] {
  return [...items].sort((a, b) => b.listCost - a.listCost).slice(0, how);
}
