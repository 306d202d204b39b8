import { localAlertsDirectory } from '@twitch-pipeline/alerts';
import { type Command, PROGRAM } from '../cli/command';
import { toJson } from '../cli/io';
import { describeUnreadableAlerts } from '../lake/views';
import { formatTable } from '../cli/table';
import { assertDataDirectory } from '../lake/data-directory';
import { count } from '../runtime/cycle-messages';
import { localRuntime } from '../runtime/local-runtime';
import { parseTime, wholeNumber } from '../runtime/run-options';

function sinceOf(value: string | boolean | string[] | undefined): Date | undefined {
  if (typeof value !== 'string') return undefined;
  return parseTime(value, 'since', 'alerts');
}

/** `alerts`: the real-time alerts the consumer raised, from the local alerts log. */
export const alertsCommand: Command = {
  name: 'alerts',
  usage: ['alerts [--limit N] [--since TIME]'],
  details:
    'The consumer evaluates the rules of ALERT_RULES_FILE (or ALERT_RULES) as events arrive (a watched\n' +
    'channel went live, a viewer jump, a category audience crossing a threshold) and records each alert\n' +
    'once per rule and stream, or per rule, category and crossing, in <data dir>/alerts. See\n' +
    'docs/use-cases.md for the rules file.',
  options: {
    limit: { type: 'string', short: 'n', value: 'N', description: 'alerts to show, newest first (default 20)' },
    since: { type: 'string', value: 'TIME', description: 'only alerts collected at or after this ISO-8601 time' },
  },
  examples: [`${PROGRAM} alerts`, `${PROGRAM} alerts --since 2026-11-29T00:00:00Z --json`],
  async run(input) {
    const limit = wholeNumber(input.values.limit, 'limit', 'alerts', { min: 1, max: 100_000 }) ?? 20;
    const since = sinceOf(input.values.since);
    const config = input.config();
    assertDataDirectory(config.dataDir);
    const runtime = localRuntime(config);
    const { alerts: matching, unreadable } = await runtime.alerts.list({ since });
    // Warn and go on, as `query` does with unreadable lake objects: one bad file never hides the rest.
    input.io.err(describeUnreadableAlerts(unreadable, localAlertsDirectory(runtime)));
    const alerts = matching.slice(0, limit);
    if (input.json) {
      input.io.out(toJson(alerts));
      return 0;
    }
    if (alerts.length === 0) {
      const earlier = since ? (await runtime.alerts.list({})).alerts.length : 0;
      // The rules act in the runs that consume events, which may have set them where this command does not.
      const hint =
        earlier > 0
          ? `no alerts collected at or after ${since!.toISOString()}; ${count(earlier)} earlier (\`${PROGRAM} alerts\` without --since lists them)`
          : config.alertRulesFile || config.alertRules
            ? 'none raised yet'
            : 'no alerts raised. Only runs with ALERT_RULES_FILE (or ALERT_RULES) set evaluate alert rules; see docs/use-cases.md';
      input.io.out(`${hint}\n`);
      return 0;
    }
    input.io.out(
      formatTable({
        columns: ['collected (UTC)', 'rule', 'type', 'channel / category', 'viewers', 'before', 'message'],
        rows: alerts.map((alert) => [
          alert.timestamp.slice(0, 19).replace('T', ' '),
          alert.rule,
          alert.type,
          alert.nome_streamer ?? alert.nome_categoria ?? '',
          alert.espectadores,
          alert.anterior ?? '',
          alert.message,
        ]),
      }),
    );
    // The table's own count is of the rows shown: say when older alerts were left out.
    if (matching.length > alerts.length) {
      input.io.out(`newest ${count(alerts.length)} of ${count(matching.length)} alerts; --limit ${matching.length} shows them all\n`);
    }
    return 0;
  },
};
