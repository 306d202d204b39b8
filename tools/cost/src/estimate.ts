import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type MeasuredUsage, readMeasuredUsage } from './measured-usage';
import { type CostItem, costTable, monthlyCost, type Workload } from './monthly-cost';
import { readStackSettings } from './stack-settings';

/** The deploy guide that shows the estimate. */
export const DEPLOY_GUIDE = fileURLToPath(new URL('../../../docs/deploy.md', import.meta.url));

/** The two workloads the deploy guide prices, on the prod stack's settings. */
export type WorkloadName = 'original' | 'full-platform';

/**
 * The estimate of a named workload on the prod stack: the original system's 300 streams (100 a
 * language) with 100 Athena queries over gold a month, or the whole platform (~95,000 streams)
 * with 200 queries over a month of silver. The usage is the committed measurement unless another
 * is given (a fresh one, before it is recorded).
 *
 * @example
 * estimate('original').find((item) => item.item === 'DynamoDB writes');
 */
export function estimate(name: WorkloadName, usage: MeasuredUsage = readMeasuredUsage()): CostItem[] {
  const workloads: Record<WorkloadName, Workload> = {
    original: { usage: usage.original, requests: usage.s3Requests, athenaQueriesPerMonth: 100, athenaGbPerQuery: 0.001 },
    'full-platform': { usage: usage.fullPlatform, requests: usage.s3Requests, athenaQueriesPerMonth: 200, athenaGbPerQuery: 5 },
  };
  return monthlyCost(readStackSettings('prod'), workloads[name]);
}

const marker = (name: WorkloadName) => [`<!-- cost-table:${name} -->`, `<!-- /cost-table:${name} -->`] as const;

/**
 * The table of a workload as it stands between its markers in a Markdown text, or undefined.
 *
 * @example
 * tableInDoc(readFileSync(DEPLOY_GUIDE, 'utf8'), 'original');
 */
export function tableInDoc(text: string, name: WorkloadName): string | undefined {
  const [open, close] = marker(name);
  const start = text.indexOf(open);
  const end = text.indexOf(close);
  return start < 0 || end < start ? undefined : text.slice(start + open.length, end).trim();
}

/**
 * Rewrites the tables between the markers of the deploy guide with the current estimate.
 *
 * @example
 * writeTablesToDoc();
 */
export function writeTablesToDoc(file = DEPLOY_GUIDE): void {
  let text = readFileSync(file, 'utf8');
  for (const name of ['original', 'full-platform'] as const) {
    const [open, close] = marker(name);
    if (tableInDoc(text, name) === undefined) throw new Error(`${file} has no ${open} … ${close} block`);
    text = `${text.slice(0, text.indexOf(open) + open.length)}\n${costTable(estimate(name))}\n${text.slice(text.indexOf(close))}`;
  }
  writeFileSync(file, text);
}
