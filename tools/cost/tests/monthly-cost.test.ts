import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEPLOY_GUIDE, estimate, tableInDoc } from '../src/estimate';
import { readMeasuredUsage } from '../src/measured-usage';
import { biggestItems, costTable, monthlyCost } from '../src/monthly-cost';
import { alarmMetricCount, readStackSettings } from '../src/stack-settings';

const total = (items: { listCost: number; freeTierCost: number }[], key: 'listCost' | 'freeTierCost') =>
  items.reduce((sum, item) => sum + item[key], 0);

describe('monthly cost estimate', () => {
  it('is the table the deploy guide shows, for both workloads (npx tsx tools/cost/src/main.ts --write)', () => {
    // prepare
    const guide = readFileSync(DEPLOY_GUIDE, 'utf8');
    // act
    const shown = { original: tableInDoc(guide, 'original'), full: tableInDoc(guide, 'full-platform') };
    // assess
    expect(shown.original).toBe(costTable(estimate('original')));
    expect(shown.full).toBe(costTable(estimate('full-platform')));
  });

  it("gives the README's comparison table the original workload's two totals", () => {
    // prepare
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    const items = estimate('original');
    // act
    const figures = [`≈ $${total(items, 'freeTierCost').toFixed(2)}/month`, `$${total(items, 'listCost').toFixed(2)} at list price`];
    // assess
    for (const figure of figures) expect(readme).toContain(figure);
  });

  it('keeps the original workload at or under $3 a month with the always-free allowances', () => {
    // prepare
    const items = estimate('original');
    // act
    const withFreeTier = total(items, 'freeTierCost');
    const listWithoutDashboard = total(items, 'listCost') - items.find((item) => item.item === 'CloudWatch dashboard')!.listCost;
    // assess
    expect(withFreeTier).toBeLessThanOrEqual(3);
    expect(listWithoutDashboard).toBeLessThanOrEqual(3);
  });

  it('names the real-time table as the full platform’s biggest item', () => {
    // prepare
    const items = estimate('full-platform');
    // act
    const [biggest] = biggestItems(items, 1);
    // assess
    expect(biggest!.item).toBe('DynamoDB writes');
    expect(biggest!.listCost / total(items, 'listCost')).toBeGreaterThan(0.5);
  });

  it('follows the stack: memory, interval and the alarm definitions change the figures', () => {
    // prepare
    const settings = readStackSettings('prod');
    const measured = readMeasuredUsage();
    const workload = { usage: measured.fullPlatform, requests: measured.s3Requests, athenaQueriesPerMonth: 0, athenaGbPerQuery: 0 };
    const cost = (changed: typeof settings, item: string) => monthlyCost(changed, workload).find((line) => line.item === item)!.listCost;
    // act: past two vCPUs, more memory no longer buys time
    const bigger = cost({ ...settings, memoryMb: { ...settings.memoryMb, extract: 4096 } }, 'Lambda duration');
    const hourly = cost({ ...settings, intervalMinutes: 60 }, 'DynamoDB writes');
    const rateAlarms = alarmMetricCount({ ...settings, errorRateWindowMinutes: 240 });
    // assess
    expect(bigger).toBeGreaterThan(cost(settings, 'Lambda duration') + 0.5);
    expect(hourly).toBeCloseTo(cost(settings, 'DynamoDB writes') / 2, 6);
    expect(alarmMetricCount(settings)).toEqual({ alarms: 8, metrics: 9 });
    expect(rateAlarms).toEqual({ alarms: 8, metrics: 13 });
  });

  it('reports a doc table that no longer matches', () => {
    // prepare
    const stale = readFileSync(DEPLOY_GUIDE, 'utf8').replace(/\| CloudWatch alarms \|[^\n]*/, '| CloudWatch alarms | 15 alarm metrics | | $1.50 | $0.50 |');
    // act
    const shown = tableInDoc(stale, 'original');
    // assess
    expect(shown).not.toBe(costTable(estimate('original')));
  });
});
