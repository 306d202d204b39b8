import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { type AlertRules, alertRulesSchema } from '@twitch-pipeline/schemas';
import { AlertRulesError } from './alert-rules-error';
import { UnreadableAlertRulesError } from './unreadable-alert-rules-error';

function ruleLabel(input: unknown, index: number): string {
  const rules = (input as { rules?: unknown } | null)?.rules;
  const rule = Array.isArray(rules) ? (rules[index] as { name?: unknown; type?: unknown } | undefined) : undefined;
  const name = typeof rule?.name === 'string' ? ` "${rule.name}"` : '';
  const type = typeof rule?.type === 'string' ? ` (${rule.type})` : '';
  return `rules[${index}]${name}${type}`;
}

function describe(input: unknown, issues: { path: PropertyKey[]; message: string }[], source: string): string[] {
  const lines = issues.map((issue) => {
    const [first, index, ...rest] = issue.path;
    if (first === 'rules' && typeof index === 'number') {
      const field = rest.length > 0 ? rest.map(String).join('.') : 'rule';
      return { index, line: `${ruleLabel(input, index)}: ${field}: ${issue.message}` };
    }
    // The whole document: a file's path, or ALERT_RULES for the rules given inline.
    const field = issue.path.length > 0 ? issue.path.map(String).join('.') : source;
    return { index: -1, line: `${field}: ${issue.message}` };
  });
  // In file order, whatever order the checks ran in.
  return lines.sort((a, b) => a.index - b.index).map(({ line }) => line);
}

/**
 * Validates alert rules given as JSON text or as an already parsed object. Every problem is
 * reported at once, each naming the bad rule by index and name, e.g.
 * `rules[1] "big raid" (viewer_jump): factor: must be at least 1`.
 *
 * @example
 * const rules = parseAlertRules('{"rules":[{"name":"pro","type":"channel_live","channels":["gaules"]}]}');
 * rules.rules[0].name; // 'pro'
 */
export function parseAlertRules(input: string | unknown, source = 'alert rules'): AlertRules {
  let value: unknown = input;
  if (typeof input === 'string') {
    try {
      // Some Windows editors save UTF-8 with a byte-order mark, which JSON.parse refuses.
      value = JSON.parse(input.replace(/^\uFEFF/, ''));
    } catch (error) {
      throw new AlertRulesError(source, [`not valid JSON: ${(error as Error).message}`]);
    }
  }
  const parsed = alertRulesSchema.safeParse(value);
  if (!parsed.success) throw new AlertRulesError(source, describe(value, parsed.error.issues, source));
  return parsed.data;
}

/**
 * Reads and validates an alert rules file (JSON). Meant to run at start, so that a bad file
 * stops the consumer before it takes any message.
 *
 * @example
 * const rules = await loadAlertRules(config.alertRulesFile);
 */
export async function loadAlertRules(path: string): Promise<AlertRules> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UnreadableAlertRulesError(path, error as NodeJS.ErrnoException);
  }
  return parseAlertRules(text, path);
}

/**
 * Reads and validates an alert rules file (JSON) synchronously, for Lambda and CLI start-up code
 * that builds its wiring before the first message.
 *
 * @example
 * const rules = loadAlertRulesSync(process.env.ALERT_RULES_FILE);
 */
export function loadAlertRulesSync(path: string): AlertRules {
  return parseAlertRules(readAlertRulesTextSync(path), path);
}

/**
 * The text of an alert rules file, or an {@link UnreadableAlertRulesError} saying why it cannot be read, in
 * the words of {@link loadAlertRulesSync}: a file checked again later is reported as at start.
 *
 * @example
 * const text = readAlertRulesTextSync('rules.json');
 */
export function readAlertRulesTextSync(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new UnreadableAlertRulesError(path, error as NodeJS.ErrnoException);
  }
}
