import type { AlertRulesChange } from '@twitch-pipeline/alerts';
import { plural } from './cycle-messages';

/**
 * What a cycle says of an edit of the alert rules file found at its start: the rules it reloaded,
 * or why it kept the previous ones, in the words start-up would refuse the file with; nothing
 * when the file is unchanged.
 *
 * @example
 * const note = alertRulesNote(runtime.checkAlertRules());
 * if (note) io.err(note); // '  alert rules reloaded from alerts.json: 3 rules'
 */
export function alertRulesNote(change: AlertRulesChange | undefined): string {
  if (change?.outcome === 'reloaded') return `  alert rules reloaded from ${change.file}: ${plural(change.rules.rules.length, 'rule')}\n`;
  if (change?.outcome !== 'rejected') return '';
  const kept = change.kept.rules.length;
  return (
    `  warning: ${change.error.message.replace(/\n/g, '\n  ')}\n` +
    `  ${kept === 1 ? 'the previous rule stays' : `the previous ${plural(kept, 'rule')} stay`} in force until the file is fixed\n`
  );
}
