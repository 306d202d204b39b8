/**
 * Thrown when an alert rules file is unreadable or invalid. The message names the file and
 * every bad rule (index, name and type), one problem a line.
 *
 * @example
 * try {
 *   parseAlertRules(text, 'rules.json');
 * } catch (error) {
 *   if (error instanceof AlertRulesError) console.error(error.problems.join('\n'));
 * }
 */
export class AlertRulesError extends Error {
  readonly source: string;
  readonly problems: string[];

  constructor(source: string, problems: string[], message = invalidRulesMessage(source, problems)) {
    super(message);
    this.name = 'AlertRulesError';
    this.source = source;
    this.problems = problems;
  }
}

function invalidRulesMessage(source: string, problems: string[]): string {
  const count = `${problems.length} problem${problems.length === 1 ? '' : 's'}`;
  return `Invalid alert rules in ${source} (${count}):\n${problems.map((line) => `  - ${line}`).join('\n')}`;
}
